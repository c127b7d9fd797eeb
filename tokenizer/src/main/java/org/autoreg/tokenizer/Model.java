package org.autoreg.tokenizer;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Third stage of the pipeline: turns one pre-tokenized piece into tokens (Hugging Face's
 * {@code models}): {@link #bpe} (byte-level GPT-2 style, or character-level when it has no merges)
 * and {@link #wordLevel}.
 */
public sealed interface Model permits Vocabulary {

    /** Tokenizes one piece as the model sees it (for byte-level BPE: already byte-mapped). */
    List<Token> tokenize(String piece);

    /** The id of {@code token} in this model's vocabulary. */
    OptionalInt tokenToId(String token);

    /** The token string of {@code id}; throws if the id is not in the vocabulary. */
    String idToToken(int id);

    /** Number of entries in the vocabulary (ids are {@code 0 .. vocabSize()-1}). */
    int vocabSize();

    /** The vocabulary, token to id, in id order. */
    Map<String, Integer> vocab();

    /**
     * A BPE model. {@code merges} are applied by rank (index in the list); each merge's result must be in
     * {@code vocab}. {@code unkToken} may be null: then a character outside the vocabulary is dropped
     * (as in Hugging Face tokenizers) and a warning is logged once.
     */
    static Model bpe(Map<String, Integer> vocab, List<Map.Entry<String, String>> merges, String unkToken) {
        return new Bpe(vocab, merges, unkToken, null, null, false, false, false);
    }

    /** A word-level model: each piece is one token, or {@code unkToken} (null: an unknown word is an error). */
    static Model wordLevel(Map<String, Integer> vocab, String unkToken) {
        return new WordLevel(vocab, unkToken);
    }
}
