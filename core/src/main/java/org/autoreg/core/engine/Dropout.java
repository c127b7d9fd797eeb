package org.autoreg.core.engine;

import org.autoreg.core.Rng;

/**
 * Inverted dropout: each value kept with probability 1 − p and scaled by 1/(1 − p), else 0, so
 * the expected output equals the input and evaluation needs no rescaling. The masks are
 * counter-based: the mask of (forward pass {@code call}, {@code site}, {@code part}) comes from
 * its own SplitMix64 stream keyed by the seed and those three numbers, so heads drawn on
 * different threads get the same masks for any thread count, and the whole generator state is
 * two longs (seed, call) saved with a checkpoint.
 */
final class Dropout {
    private long seed;
    private long call;

    Dropout(long seed) {
        this.seed = seed;
    }

    /** Starts the masks of the next training forward pass. */
    void nextCall() {
        call++;
    }

    long[] state() {
        return new long[] {seed, call};
    }

    /** Continues from a saved {@link #state()} (in place: the kernels keep their reference to this object). */
    void restore(long[] s) {
        seed = s[0];
        call = s[1];
    }

    /**
     * mask[0, n) := 0 or 1/(1 − p), drawn for (this call, site, part): element i is kept when the
     * i-th {@link Rng#nextDouble} of the stream {@code Rng.derive(seed, "dropout", call, site, part)}
     * is below 1 − p. Computed as the integer comparison {@code (draw >>> 11) < ⌈(1 − p)·2^53⌉}
     * (the same test, exactly) without a branch or a chain between draws.
     */
    void fill(float[] mask, int n, double p, int site, int part) {
        long key = Rng.derive(seed, "dropout", call, site, part);
        double keep = 1 - p;
        long threshold = (long) Math.ceil(keep * 0x1p53);
        float scale = (float) (1 / keep);
        for (int i = 0; i < n; i++) {
            long below = ((Rng.nth(key, i) >>> 11) - threshold) >>> 63;   // 1 when kept
            mask[i] = scale * below;
        }
    }

    /** x[0, n) *= mask (forward) or dx *= mask (backward). */
    static void apply(float[] x, float[] mask, int n) {
        for (int i = 0; i < n; i++) {
            x[i] *= mask[i];
        }
    }

    /** out[0, n) = x ⊙ mask */
    static void apply(float[] out, float[] x, float[] mask, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = x[i] * mask[i];
        }
    }
}
