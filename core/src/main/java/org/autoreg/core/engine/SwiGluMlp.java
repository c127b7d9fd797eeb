package org.autoreg.core.engine;

/**
 * Llama's MLP: {@code down(silu(gate(x)) ⊙ up(x))}, silu(g) = g·σ(g), C → H → C, weights in
 * nn.Linear's [out, in] layout.
 * <pre>
 * backward: dh = dout · downᵀ;  du = dh ⊙ silu(g);  dg = dh ⊙ u ⊙ σ(g)(1 + g(1 − σ(g)))
 * </pre>
 */
final class SwiGluMlp implements Mlp {
    private final Linear gate;     // [C → H]
    private final Linear up;       // [C → H]
    private final Linear down;     // [H → C]
    private final int H;
    private final float[] g;       // [rows, H] gate(x)
    private final float[] u;       // [rows, H] up(x)
    private final float[] sig;     // [rows, H] σ(g)
    private final float[] h;       // [rows, H] silu(g) ⊙ u (scratch shared by the layers; backward recomputes it)
    private final float[] dh;      // [rows, H] scratch (shared by the layers)
    private final float[] dg;      // [rows, H] scratch (shared)
    private final int[] bits;

    SwiGluMlp(Tensors t, String name, int c, int hidden, int rows, Workspace ws) {
        gate = new Linear(t, name + ".gate_proj.weight", null, c, hidden, Linear.Layout.OUT_IN);
        up = new Linear(t, name + ".up_proj.weight", null, c, hidden, Linear.Layout.OUT_IN);
        down = new Linear(t, name + ".down_proj.weight", null, hidden, c, Linear.Layout.OUT_IN);
        H = hidden;
        g = new float[rows * H];
        u = new float[rows * H];
        sig = new float[rows * H];
        h = ws.floats("mlp.h", rows * H);
        dh = ws.floats("mlp.dh", rows * H);
        dg = ws.floats("mlp.dg", rows * H);
        bits = ws.ints("mlp.bits", rows * H);
    }

    void useRows() {
        gate.useRows();
        up.useRows();
        down.useRows();
    }

    @Override
    public void forward(float[] out, float[] x, int n) {
        int m = n * H;
        gate.forward(g, x, n);
        up.forward(u, x, n);
        for (int i = 0; i < m; i++) {
            sig[i] = -g[i];
        }
        FastMath.exp(sig, sig, dh, bits, m);                            // e^−g
        for (int i = 0; i < m; i++) {
            sig[i] = 1f / (1f + sig[i]);                                 // σ(g)
            h[i] = g[i] * sig[i] * u[i];
        }
        down.forward(out, h, n);
    }

    @Override
    public void backward(float[] dx, float[] dout, float[] x, int n) {
        int m = n * H;
        for (int i = 0; i < m; i++) {
            h[i] = g[i] * sig[i] * u[i];                                 // the input of down, again
        }
        down.backward(dh, dout, h, n, false);
        for (int i = 0; i < m; i++) {
            float s = sig[i];
            dg[i] = dh[i] * u[i] * s * (1f + g[i] * (1f - s));
            dh[i] = dh[i] * g[i] * s;                                    // du
        }
        up.backward(dx, dh, x, n, false);
        gate.backward(dx, dg, x, n, true);
    }
}
