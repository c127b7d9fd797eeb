package org.autoreg.core.engine;

/**
 * LayerNorm (Ba et al. 2016): {@code out = (x − mean) / √(var + ε) · w + b} over each row of C,
 * ε = 1e-5 as PyTorch. Sums in interleaved double accumulators (independent chains the CPU runs
 * in parallel).
 */
final class LayerNorm implements Norm {
    private final int C;
    private final float[] w;       // [C]
    private final float[] dw;
    private final float[] b;       // [C] or null
    private final float[] db;
    private final float[] mean;    // [rows]
    private final float[] rstd;    // [rows] 1/std

    LayerNorm(Tensors t, String name, int c, int rows) {
        C = c;
        w = t.p(name + ".weight");
        dw = t.g(name + ".weight");
        b = t.has(name + ".bias") ? t.p(name + ".bias") : null;
        db = b == null ? null : t.g(name + ".bias");
        mean = new float[rows];
        rstd = new float[rows];
    }

    @Override
    public void forward(float[] out, float[] x, int n) {
        for (int r = 0; r < n; r++) {
            int o = r * C;
            double m0 = 0;
            double m1 = 0;
            double m2 = 0;
            double m3 = 0;
            int c4 = C & ~3;
            for (int i = 0; i < c4; i += 4) {
                m0 += x[o + i];
                m1 += x[o + i + 1];
                m2 += x[o + i + 2];
                m3 += x[o + i + 3];
            }
            for (int i = c4; i < C; i++) {
                m0 += x[o + i];
            }
            double m = ((m0 + m1) + (m2 + m3)) / C;
            double v0 = 0;
            double v1 = 0;
            double v2 = 0;
            double v3 = 0;
            for (int i = 0; i < c4; i += 4) {
                double d0 = x[o + i] - m;
                double d1 = x[o + i + 1] - m;
                double d2 = x[o + i + 2] - m;
                double d3 = x[o + i + 3] - m;
                v0 += d0 * d0;
                v1 += d1 * d1;
                v2 += d2 * d2;
                v3 += d3 * d3;
            }
            for (int i = c4; i < C; i++) {
                double d = x[o + i] - m;
                v0 += d * d;
            }
            double var = ((v0 + v1) + (v2 + v3)) / C;
            float s = (float) (1.0 / Math.sqrt(var + org.autoreg.core.nn.LayerNorm.EPS));
            float mf = (float) m;
            for (int i = 0; i < C; i++) {
                float norm = (x[o + i] - mf) * s;
                out[o + i] = b == null ? norm * w[i] : norm * w[i] + b[i];
            }
            mean[r] = mf;
            rstd[r] = s;
        }
    }

    /** dx += (dnorm − mean(dnorm) − norm · mean(dnorm · norm)) / std, with dnorm = w · dout. */
    @Override
    public void backward(float[] dx, float[] dout, float[] x, int n) {
        for (int r = 0; r < n; r++) {
            int o = r * C;
            float m = mean[r];
            float s = rstd[r];
            double a0 = 0;
            double a1 = 0;
            double b0 = 0;
            double b1 = 0;
            int c2 = C & ~1;
            for (int c = 0; c < c2; c += 2) {
                float norm0 = (x[o + c] - m) * s;
                float norm1 = (x[o + c + 1] - m) * s;
                float dnorm0 = w[c] * dout[o + c];
                float dnorm1 = w[c + 1] * dout[o + c + 1];
                a0 += dnorm0;
                a1 += dnorm1;
                b0 += dnorm0 * norm0;
                b1 += dnorm1 * norm1;
            }
            if (c2 < C) {
                float norm = (x[o + c2] - m) * s;
                float dnorm = w[c2] * dout[o + c2];
                a0 += dnorm;
                b0 += dnorm * norm;
            }
            float a = (float) ((a0 + a1) / C);
            float bb = (float) ((b0 + b1) / C);
            for (int c = 0; c < C; c++) {
                float norm = (x[o + c] - m) * s;
                float dnorm = w[c] * dout[o + c];
                if (db != null) {
                    db[c] += dout[o + c];
                }
                dw[c] += norm * dout[o + c];
                dx[o + c] += (dnorm - a - norm * bb) * s;
            }
        }
    }
}
