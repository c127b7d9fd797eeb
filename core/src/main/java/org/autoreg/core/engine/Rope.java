package org.autoreg.core.engine;

/**
 * Rotary positions (RoPE, rotate-half convention as Hugging Face's Llama): in each head of size
 * hs, the pair (x[i], x[i + hs/2]) at position p turns by the angle p·θ_i:
 * <pre>
 * y[i] = x[i]·cos − x[i+hs/2]·sin,   y[i+hs/2] = x[i+hs/2]·cos + x[i]·sin
 * </pre>
 * A rotation is orthogonal, so its backward is the same rotation by −angle.
 */
final class Rope {
    private final int hs;
    private final double theta;
    private final float[][] cos;   // [T][hs/2] of positions 0..T−1 (training)
    private final float[][] sin;

    Rope(int headSize, double theta, int positions) {
        this.hs = headSize;
        this.theta = theta;
        cos = new float[positions][hs / 2];
        sin = new float[positions][hs / 2];
        for (int p = 0; p < positions; p++) {
            table(p, cos[p], sin[p]);
        }
    }

    /** cos and sin of every pair's angle at position p. */
    void table(int p, float[] c, float[] s) {
        for (int i = 0; i < hs / 2; i++) {
            float a = org.autoreg.core.nn.Rope.angle(p, i, hs, theta);
            c[i] = (float) Math.cos(a);
            s[i] = (float) Math.sin(a);
        }
    }

    /**
     * Rotates, in place, the {@code heads} heads of each of n rows of x (rows of {@code width},
     * heads from column {@code col}); row r is at position r mod T. {@code inverse} rotates back
     * (the backward pass).
     */
    void apply(float[] x, int n, int width, int col, int heads, int T, boolean inverse) {
        for (int r = 0; r < n; r++) {
            int p = r % T;
            rotate(x, r * width + col, heads, cos[p], sin[p], inverse);
        }
    }

    /** Rotates {@code heads} consecutive heads starting at x[o] by the given cos/sin table. */
    void rotate(float[] x, int o, int heads, float[] c, float[] s, boolean inverse) {
        int half = hs / 2;
        for (int h = 0; h < heads; h++) {
            int b = o + h * hs;
            for (int i = 0; i < half; i++) {
                float x1 = x[b + i];
                float x2 = x[b + half + i];
                float si = inverse ? -s[i] : s[i];
                x[b + i] = x1 * c[i] - x2 * si;
                x[b + half + i] = x2 * c[i] + x1 * si;
            }
        }
    }
}
