package org.autoreg.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * The result of encoding one text: token ids, token strings, the char span of the input each token
 * covers ({@code [start, end)}; special tokens added by post-processing and padding have
 * {@code (0, 0)}), the attention mask (0 on padding), the special-tokens mask (1 on special
 * tokens) and how many tokens truncation removed. Immutable; array accessors return copies.
 */
public final class Encoding {
    private final int[] ids;
    private final String[] tokens;
    private final int[] starts;
    private final int[] ends;
    private final int[] attentionMask;
    private final int[] specialTokensMask;
    private final int truncatedTokens;

    Encoding(int[] ids, String[] tokens, int[] starts, int[] ends, int[] attentionMask, int[] specialTokensMask,
            int truncatedTokens) {
        this.ids = ids;
        this.tokens = tokens;
        this.starts = starts;
        this.ends = ends;
        this.attentionMask = attentionMask;
        this.specialTokensMask = specialTokensMask;
        this.truncatedTokens = truncatedTokens;
    }

    /** Number of tokens (padding included). */
    public int length() {
        return ids.length;
    }

    public int[] ids() {
        return ids.clone();
    }

    public int id(int i) {
        return ids[i];
    }

    public List<String> tokens() {
        return List.of(tokens);
    }

    /** Start char offset of token {@code i} in the input. */
    public int start(int i) {
        return starts[i];
    }

    /** End char offset (exclusive) of token {@code i} in the input. */
    public int end(int i) {
        return ends[i];
    }

    public int[] attentionMask() {
        return attentionMask.clone();
    }

    public int[] specialTokensMask() {
        return specialTokensMask.clone();
    }

    /** How many tokens truncation removed (0 if none). */
    public int truncatedTokens() {
        return truncatedTokens;
    }

    int[] idsArray() {
        return ids;
    }

    String[] tokensArray() {
        return tokens;
    }

    int[] startsArray() {
        return starts;
    }

    int[] endsArray() {
        return ends;
    }

    int[] attentionMaskArray() {
        return attentionMask;
    }

    int[] specialTokensMaskArray() {
        return specialTokensMask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(tokens, e.tokens)
                && Arrays.equals(starts, e.starts) && Arrays.equals(ends, e.ends)
                && Arrays.equals(attentionMask, e.attentionMask) && Arrays.equals(specialTokensMask, e.specialTokensMask)
                && truncatedTokens == e.truncatedTokens;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Encoding[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ids[i]).append(':').append(tokens[i]).append('@').append(starts[i])
                    .append('-').append(ends[i]);
        }
        return sb.append(truncatedTokens > 0 ? "; truncated " + truncatedTokens : "").append(']').toString();
    }
}
