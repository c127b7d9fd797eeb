package org.autoreg.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental decoding for streaming generation: feed token ids one at a time and get back only
 * the new text, never half a character. A byte-level token can end in the middle of a multi-byte
 * UTF-8 character (an emoji is often 2–4 tokens); such text is held back until the character is
 * complete. Hugging Face's {@code DecodeStream} algorithm: decode a short window of recent ids and
 * emit what it adds to the text already emitted. Not thread-safe: one per stream.
 */
public final class DecodeStream {
    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private List<Integer> ids = new ArrayList<>();
    private String prefix = "";
    private int prefixIndex;

    DecodeStream(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one token; returns the text it completes (possibly empty). */
    public String step(int id) {
        ids.add(id);
        String text = decode(ids);
        if (text.length() > prefix.length() && !text.endsWith("\uFFFD") && text.startsWith(prefix)) {
            String delta = text.substring(prefix.length());
            int newPrefixIndex = ids.size() - prefixIndex;
            ids = new ArrayList<>(ids.subList(prefixIndex, ids.size()));
            prefix = decode(ids);
            prefixIndex = newPrefixIndex;
            return delta;
        }
        return "";
    }

    /** Text still held back at the end of the stream (incomplete characters as U+FFFD), or empty. */
    public String flush() {
        String text = decode(ids);
        String rest = text.length() > prefix.length() && text.startsWith(prefix) ? text.substring(prefix.length()) : "";
        ids = new ArrayList<>();
        prefix = "";
        prefixIndex = 0;
        return rest;
    }

    private String decode(List<Integer> window) {
        return tokenizer.decode(window.stream().mapToInt(Integer::intValue).toArray(), skipSpecialTokens);
    }
}
