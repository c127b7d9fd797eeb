package org.autoreg.core.nn;

/** A float exponential several times faster than {@code (float) Math.exp}, for the engine's inner loops. */
final class FastMath {
    private FastMath() {
    }

    /**
     * e^x in float: x·log2(e) split into an integer n and a fraction f ∈ [−½, ½], 2^f from its
     * degree-6 Taylor polynomial and 2^n from the exponent bits. Relative error below 3e-7
     * (tested); outside [−87, 88] it defers to {@link Math#exp}.
     */
    static float exp(float x) {
        if (x < -87f || x > 88f) {
            return (float) Math.exp(x); // rare: denormal or near-overflow results
        }
        float n = (float) Math.rint(x * 1.44269504f);     // x / ln 2, rounded
        float f = (x - n * 0.693359375f) + n * 2.12194440e-4f; // x − n·ln 2 (Cody–Waite: ln 2 in two parts)
        float p = 1f + f * (1f + f * (0.5f + f * (0.16666667f + f * (0.041666668f + f * (0.008333334f
                + f * 0.0013888889f)))));
        return Float.intBitsToFloat(((int) n + 127) << 23) * p;
    }
}
