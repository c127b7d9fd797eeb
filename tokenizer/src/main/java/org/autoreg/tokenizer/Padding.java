package org.autoreg.tokenizer;

/**
 * Padding of encoded sequences with {@code padToken} ({@code padId}) on the {@code side} given:
 * to the longest sequence of the batch ({@code length == 0}) or to a fixed {@code length}, rounded
 * up to a multiple of {@code padToMultipleOf} (0: none). Padded positions get attention mask 0.
 */
public record Padding(int length, String padToken, int padId, Side side, int padToMultipleOf) {
    public Padding {
        if (length < 0 || padToMultipleOf < 0) {
            throw new IllegalArgumentException("padding length and padToMultipleOf must be ≥ 0");
        }
        if (padToken == null || padId < 0) {
            throw new IllegalArgumentException("padding needs a pad token and its id");
        }
        if (side == null) {
            throw new IllegalArgumentException("padding side is required (LEFT or RIGHT)");
        }
    }

    /** Pads on the right to the longest sequence of each batch. */
    public static Padding longest(String padToken, int padId) {
        return new Padding(0, padToken, padId, Side.RIGHT, 0);
    }

    /** Target length for a batch whose longest sequence has {@code longest} tokens. */
    int target(int longest) {
        int t = length > 0 ? Math.max(length, 0) : longest;
        if (padToMultipleOf > 0 && t % padToMultipleOf != 0) {
            t += padToMultipleOf - t % padToMultipleOf;
        }
        return t;
    }
}
