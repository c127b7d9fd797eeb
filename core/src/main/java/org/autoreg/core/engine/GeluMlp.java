package org.autoreg.core.engine;

/**
 * GPT-2's MLP: {@code c_proj(gelu(c_fc(x)))}, C → 4C → C, with the exact GELU x·Φ(x) (PyTorch's
 * {@code F.gelu}) or GPT-2's tanh approximation ({@code gelu_new}); its derivative is kept from the
 * forward pass.
 */
final class GeluMlp implements Mlp {
    private final Linear fc;       // c_fc   [C → H]
    private final Linear proj;     // c_proj [H → C]
    private final int H;
    private final float[] h;       // [rows, H] before GELU (forward scratch, shared by the layers)
    private final float[] a;       // [rows, H] gelu(h)
    private final float[] grad;    // [rows, H] gelu'(h)
    private final float[] dh;      // [rows, H] scratch (shared by the layers)
    private final int[] bits;      // [rows, H] scratch of the exponential (shared)
    private final boolean tanh;    // GPT-2's tanh approximation instead of the exact GELU

    GeluMlp(Tensors t, String name, int c, int hidden, int rows, Workspace ws) {
        this(t, name, c, hidden, rows, ws, false);
    }

    GeluMlp(Tensors t, String name, int c, int hidden, int rows, Workspace ws, boolean tanh) {
        this.tanh = tanh;
        fc = new Linear(t, name + ".c_fc.weight", name + ".c_fc.bias", c, hidden, Linear.Layout.IN_OUT);
        proj = new Linear(t, name + ".c_proj.weight", name + ".c_proj.bias", hidden, c, Linear.Layout.IN_OUT);
        H = hidden;
        h = ws.floats("mlp.h", rows * H);
        a = new float[rows * H];
        grad = new float[rows * H];
        dh = ws.floats("mlp.dh", rows * H);
        bits = ws.ints("mlp.bits", rows * H);
    }

    void useRows() {
        fc.useRows();
        proj.useRows();
    }

    @Override
    public void forward(float[] out, float[] x, int n) {
        fc.forward(h, x, n);
        if (tanh) {
            geluTanh(a, grad, h, bits, n * H);
        } else {
            gelu(a, grad, h, bits, n * H);
        }
        proj.forward(out, a, n);
    }

    @Override
    public void backward(float[] dx, float[] dout, float[] x, int n) {
        proj.backward(dh, dout, a, n, false);
        for (int i = 0; i < n * H; i++) {
            dh[i] *= grad[i];
        }
        fc.backward(dx, dh, x, n, false);
    }

    /**
     * Exact GELU, x Φ(x) = ½ x (1 + erf(x/√2)), and its derivative Φ(x) + x φ(x), of the first
     * {@code n} entries, from one exponential per element (erf by Abramowitz &amp; Stegun 7.1.26,
     * absolute error ≤ 1.5e-7), in passes the JIT turns into SIMD code.
     */
    static void gelu(float[] out, float[] grad, float[] x, int[] bits, int n) {
        for (int i = 0; i < n; i++) {
            float z = Math.abs(x[i]) * 0.70710678f;                       // |x| / √2
            out[i] = -z * z;
        }
        FastMath.exp(out, out, grad, bits, n);                             // exp(−x²/2)
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float z = Math.abs(xi) * 0.70710678f;
            float t = 1f / (1f + 0.3275911f * z);
            float e = out[i];
            float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f
                    + t * 1.061405429f))));
            float erfAbs = 1f - poly * e;
            float sign = xi / (Math.abs(xi) + 1e-30f);                     // ±1 without a branch (keeps SIMD)
            float cdf = 0.5f * (1f + erfAbs * sign);                       // Φ(x)
            out[i] = xi * cdf;
            grad[i] = cdf + xi * e * 0.39894228f;                         // Φ(x) + x φ(x)
        }
    }

    /**
     * GPT-2's GELU, ½ x (1 + tanh u) with u = √(2/π)(x + 0.044715 x³), and its derivative
     * ½ (1 + tanh u) + ½ x (1 − tanh² u) √(2/π)(1 + 3·0.044715 x²), of the first {@code n}
     * entries; tanh u = 1 − 2 / (e^{2u} + 1), one exponential per element.
     */
    static void geluTanh(float[] out, float[] grad, float[] x, int[] bits, int n) {
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float u = 0.7978845608f * (xi + 0.044715f * xi * xi * xi);
            out[i] = Math.max(-40f, Math.min(40f, 2f * u));               // e^{2u} stays finite
        }
        FastMath.exp(out, out, grad, bits, n);                             // e^{2u}
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float th = 1f - 2f / (out[i] + 1f);                            // tanh u
            out[i] = 0.5f * xi * (1f + th);
            grad[i] = 0.5f * (1f + th) + 0.5f * xi * (1f - th * th) * 0.7978845608f * (1f + 0.134145f * xi * xi);
        }
    }
}
