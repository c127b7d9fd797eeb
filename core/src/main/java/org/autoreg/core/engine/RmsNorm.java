package org.autoreg.core.engine;

/**
 * RMSNorm (Zhang &amp; Sennrich 2019), Llama's norm: {@code out = x · r · w} with
 * {@code r = 1/√(mean(x²) + ε)} over each row of C; no centering, no bias.
 */
final class RmsNorm implements Norm {
    private final int C;
    private final float[] w;       // [C]
    private final float[] dw;
    private final double eps;
    private final float[] rstd;    // [rows] r of each row

    RmsNorm(Tensors t, String name, int c, double eps, int rows) {
        C = c;
        w = t.p(name + ".weight");
        dw = t.g(name + ".weight");
        this.eps = eps;
        rstd = new float[rows];
    }

    @Override
    public void forward(float[] out, float[] x, int n) {
        for (int r = 0; r < n; r++) {
            int o = r * C;
            double s0 = 0;
            double s1 = 0;
            int c2 = C & ~1;
            for (int i = 0; i < c2; i += 2) {
                s0 += (double) x[o + i] * x[o + i];
                s1 += (double) x[o + i + 1] * x[o + i + 1];
            }
            if (c2 < C) {
                s0 += (double) x[o + c2] * x[o + c2];
            }
            float s = (float) (1.0 / Math.sqrt((s0 + s1) / C + eps));
            for (int i = 0; i < C; i++) {
                out[o + i] = x[o + i] * s * w[i];
            }
            rstd[r] = s;
        }
    }

    /** dx += r · (dnorm − x · r² · mean(dnorm · x)), dnorm = w · dout; dw += dout · x · r. */
    @Override
    public void backward(float[] dx, float[] dout, float[] x, int n) {
        for (int r = 0; r < n; r++) {
            int o = r * C;
            float s = rstd[r];
            double a0 = 0;
            double a1 = 0;
            int c2 = C & ~1;
            for (int c = 0; c < c2; c += 2) {
                a0 += w[c] * dout[o + c] * x[o + c];
                a1 += w[c + 1] * dout[o + c + 1] * x[o + c + 1];
            }
            if (c2 < C) {
                a0 += w[c2] * dout[o + c2] * x[o + c2];
            }
            float k = (float) ((a0 + a1) / C) * s * s;
            for (int c = 0; c < C; c++) {
                dw[c] += dout[o + c] * x[o + c] * s;
                dx[o + c] += s * (w[c] * dout[o + c] - x[o + c] * k);
            }
        }
    }
}
