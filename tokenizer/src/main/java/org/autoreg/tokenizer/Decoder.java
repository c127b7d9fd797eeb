package org.autoreg.tokenizer;

import java.util.List;

/**
 * Last stage of the pipeline: turns token strings back into text (Hugging Face's
 * {@code decoders}). A tokenizer without a decoder joins tokens with spaces (word-level).
 */
public sealed interface Decoder permits Decoders.Base {

    /** The text of {@code tokens}. */
    String decode(List<String> tokens);

    /** GPT-2's byte-level decoder: token chars back to bytes, then UTF-8 (half characters become U+FFFD). */
    static Decoder byteLevel() {
        return new Decoders.ByteLevel();
    }

    /** Concatenates the tokens (character-level models). */
    static Decoder fuse() {
        return new Decoders.Fuse();
    }

    /** Replaces the literal {@code pattern} with {@code content} in every token. */
    static Decoder replace(String pattern, String content) {
        return new Decoders.Replace(pattern, content);
    }

    /** Removes up to {@code start} leading and {@code stop} trailing {@code content} chars of every token. */
    static Decoder strip(char content, int start, int stop) {
        return new Decoders.Strip(content, start, stop);
    }

    /** Turns {@code <0xXX>} tokens back into bytes (byte fallback of SentencePiece-style BPE). */
    static Decoder byteFallback() {
        return new Decoders.ByteFallback();
    }

    /** Applies {@code decoders} in order. */
    static Decoder sequence(List<Decoder> decoders) {
        return new Decoders.Sequence(decoders);
    }
}
