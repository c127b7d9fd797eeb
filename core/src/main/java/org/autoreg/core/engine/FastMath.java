package org.autoreg.core.engine;

/**
 * A float exponential several times faster than {@code (float) Math.exp}, for the engine's inner
 * loops: x·log2(e) split into an integer n and a fraction f ∈ [−½, ½], 2^f from its degree-6
 * Taylor polynomial and 2^n from the exponent bits. Relative error below 3e-7 (tested). Inputs are
 * clamped to [−87, 88] (e^−87 ≈ 1.6e−38 stands for every smaller value). The array form computes
 * exactly the same numbers in passes the JIT compiles to SIMD instructions (no branch, no
 * {@code Math.rint}: n is rounded with the 1.5·2^23 trick).
 */
final class FastMath {
    static final float LOG2E = 1.44269504f;
    static final float ROUND = 12582912f; // 1.5 · 2^23: adding and subtracting it rounds to an integer
    static final float MIN = -87f;        // the clamp of the input
    static final float MAX = 88f;
    static final float LN2_HI = 0.693359375f;   // ln 2 = LN2_HI − LN2_LO (Cody–Waite)
    static final float LN2_LO = 2.12194440e-4f;
    static final float P2 = 0.5f;         // 1/k!, the Taylor coefficients of e^f beyond 1 + f
    static final float P3 = 0.16666667f;
    static final float P4 = 0.041666668f;
    static final float P5 = 0.008333334f;
    static final float P6 = 0.0013888889f;

    private FastMath() {
    }

    static float exp(float x) {
        float n = round(clamp(x) * LOG2E);
        return Float.intBitsToFloat(((int) n + 127) << 23) * twoToFraction(clamp(x), n);
    }

    /**
     * {@code out[i] = e^in[i]} for i &lt; n; {@code in} and {@code out} may be the same array.
     * {@code scratch} (n floats, not {@code out}) and {@code bits} (n ints) are overwritten.
     */
    static void exp(float[] in, float[] out, float[] scratch, int[] bits, int n) {
        exp(in, out, scratch, bits, 0, n);
    }

    /**
     * {@code out[i] = e^in[i]} for off ≤ i &lt; off + n, every array indexed alike (which keeps the
     * loops vectorizable, NOTES.md); scratch and bits are overwritten in that range.
     */
    static void exp(float[] in, float[] out, float[] scratch, int[] bits, int off, int n) {
        int end = off + n;
        for (int i = off; i < end; i++) {
            float x = clamp(in[i]);
            float m = round(x * LOG2E);
            scratch[i] = m;
            out[i] = twoToFraction(x, m);
        }
        for (int i = off; i < end; i++) {
            bits[i] = ((int) scratch[i] + 127) << 23;   // 2^n as float bits
        }
        for (int i = off; i < end; i++) {
            out[i] = Float.intBitsToFloat(bits[i]) * out[i];
        }
    }

    /**
     * Softmax of each row of {@code x} in place: row r is {@code x[r·width, (r+1)·width)}, and its
     * first {@code causal ? r + 1 : width} entries, scaled by {@code scale}, are normalized; the
     * rest (a causal row's future) become 0. The exponentials run in {@link #exp(float[],
     * float[], float[], int[], int, int) array passes} (a causal row's past only); the numbers are
     * those of the scalar form.
     * {@code scratch} and {@code bits} hold at least rows·width entries.
     */
    static void softmaxRows(float[] x, int rows, int width, boolean causal, float scale, float[] scratch, int[] bits) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            int len = causal ? r + 1 : width;
            float max = Float.NEGATIVE_INFINITY;
            for (int u = 0; u < len; u++) {
                max = Math.max(max, x[o + u] * scale);
            }
            for (int u = 0; u < len; u++) {
                x[o + u] = x[o + u] * scale - max;
            }
        }
        if (causal) {
            for (int r = 0; r < rows; r++) {
                exp(x, x, scratch, bits, r * width, r + 1);   // the past only: the future becomes 0 below
            }
        } else {
            exp(x, x, scratch, bits, 0, rows * width);
        }
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            int len = causal ? r + 1 : width;
            double sum = 0;
            for (int u = 0; u < len; u++) {
                sum += x[o + u];
            }
            float inv = (float) (1.0 / sum);
            for (int u = 0; u < len; u++) {
                x[o + u] *= inv;
            }
            java.util.Arrays.fill(x, o + len, o + width, 0f);
        }
    }

    private static float clamp(float x) {
        return Math.max(MIN, Math.min(MAX, x));
    }

    private static float round(float t) {
        return (t + ROUND) - ROUND;
    }

    /** 2^(x·log2 e − n) = e^f with f = x − n·ln 2 (Cody–Waite: ln 2 in two parts), by its Taylor polynomial. */
    private static float twoToFraction(float x, float n) {
        float f = (x - n * LN2_HI) + n * LN2_LO;
        return 1f + f * (1f + f * (P2 + f * (P3 + f * (P4 + f * (P5 + f * P6)))));
    }
}
