package org.autoreg.tokenizer;

/**
 * Truncation of encoded sequences to at most {@code maxLength} tokens (special tokens included),
 * dropping from the {@code side} given. When it happens the tokenizer logs a warning once and
 * {@link Encoding#truncatedTokens()} says how many tokens were lost: a model with a 512-token window
 * silently sees only the first 512 tokens otherwise.
 */
public record Truncation(int maxLength, Side side) {
    public Truncation {
        if (maxLength < 1) {
            throw new IllegalArgumentException("truncation maxLength must be at least 1, got " + maxLength);
        }
        if (side == null) {
            throw new IllegalArgumentException("truncation side is required (LEFT or RIGHT)");
        }
    }

    /** Keeps the first {@code maxLength} tokens. */
    public static Truncation right(int maxLength) {
        return new Truncation(maxLength, Side.RIGHT);
    }
}
