package org.autoreg.core.engine;

/**
 * The residual connection: {@code out = x + branch}. Its backward passes the gradient unchanged
 * to both inputs, so the engine keeps one running gradient of the residual stream and each
 * branch's backward adds its input gradient to it (the norms' {@code backward} accumulate).
 */
final class Residual {
    private Residual() {
    }

    /** out[0, n) = x + branch */
    static void forward(float[] out, float[] x, float[] branch, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = x[i] + branch[i];
        }
    }
}
