package org.autoreg.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Init;
import org.autoreg.core.nn.Params;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every kernel's backward against central finite differences of its own forward. The kernels
 * compute in float, so the check perturbs float inputs by ε = 1e-2 and sums the probe loss
 * L = Σ dout·out in double; it passes when |numeric − analytic| ≤ 1e-2·max(|numeric|, |analytic|)
 * + 2e-3 (a wrong term in a backward is off by O(1)). The exact double-precision check is the one
 * of the SameDiff blocks (GptGradientTest), which {@link EngineTest} compares the kernels with to 1e-4.
 */
class KernelGradientTest {
    private static final float EPS = 1e-2f;

    /** One differentiable input: the array the forward reads and the array its gradient lands in. */
    private record Input(String name, float[] value, float[] grad) {
    }

    private interface Forward {
        float[] run();
    }

    private interface Backward {
        void run(float[] dout);
    }

    private static void check(String what, Forward f, Backward b, List<Input> inputs) {
        Rng rng = new Rng(5);
        float[] out0 = f.run().clone();
        float[] dout = new float[out0.length];
        for (int i = 0; i < dout.length; i++) {
            dout[i] = (float) rng.nextGaussian();
        }
        for (Input in : inputs) {
            Arrays.fill(in.grad(), 0f);
        }
        f.run();
        b.run(dout);
        List<float[]> analytic = new ArrayList<>();
        for (Input in : inputs) {
            analytic.add(in.grad().clone());
        }
        for (int k = 0; k < inputs.size(); k++) {
            float[] a = inputs.get(k).value();
            int samples = Math.min(a.length, 24);
            for (int s = 0; s < samples; s++) {
                int i = samples == a.length ? s : rng.nextInt(a.length);
                float keep = a[i];
                a[i] = keep + EPS;
                double plus = probe(f.run(), dout);
                a[i] = keep - EPS;
                double minus = probe(f.run(), dout);
                a[i] = keep;
                double numeric = (plus - minus) / (2 * EPS);
                double got = analytic.get(k)[i];
                double tol = 1e-2 * Math.max(Math.abs(numeric), Math.abs(got)) + 2e-3;
                assertTrue(Math.abs(numeric - got) <= tol, what + ": d/d" + inputs.get(k).name() + "[" + i + "] numeric "
                        + numeric + " analytic " + got);
            }
        }
        f.run();
    }

    private static double probe(float[] out, float[] dout) {
        double l = 0;
        for (int i = 0; i < dout.length; i++) {
            l += (double) dout[i] * out[i];
        }
        return l;
    }

    private static float[] random(int n, long seed) {
        Rng r = new Rng(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Parameters of the given names and shapes, N(0, 0.5²) (gains around 1 for names ending in "ln.weight"). */
    private static Tensors tensors(Object... nameShape) {
        Params p = new Params(DataType.FLOAT, 3);
        for (int i = 0; i < nameShape.length; i += 2) {
            String name = (String) nameShape[i];
            p.getOrCreate(name, (long[]) nameShape[i + 1], name.startsWith("norm") ? (v, r) -> {
                for (int j = 0; j < v.length; j++) {
                    v[j] = 1 + 0.3 * r.nextGaussian();
                }
            } : Init.normal(0.5));
        }
        return new Tensors(p, true);
    }

    private static Input param(Tensors t, String name) {
        return new Input(name, t.p(name), t.g(name));
    }

    private static long[] s(long... d) {
        return d;
    }

    @Test
    void linearInBothLayouts() {
        int n = 5;
        Tensors t = tensors("a.weight", s(6, 4), "a.bias", s(4), "b.weight", s(4, 6));
        float[] x = random(n * 6, 1);
        float[] dx = new float[n * 6];
        float[] y = new float[n * 4];
        Linear conv = new Linear(t, "a.weight", "a.bias", 6, 4, Linear.Layout.IN_OUT);
        check("Linear [in, out] + bias", () -> {
            conv.forward(y, x, n);
            return y;
        }, d -> conv.backward(dx, d, x, n, false), List.of(new Input("x", x, dx), param(t, "a.weight"),
                param(t, "a.bias")));
        Linear torch = new Linear(t, "b.weight", null, 6, 4, Linear.Layout.OUT_IN);
        check("Linear [out, in]", () -> {
            torch.forward(y, x, n);
            return y;
        }, d -> torch.backward(dx, d, x, n, false), List.of(new Input("x", x, dx), param(t, "b.weight")));
        // the one-row path (decoding) gives the BLAS product
        float[] row = Arrays.copyOf(x, 6);
        float[] viaBlas = new float[4];
        torch.forward(viaBlas, row, 1);
        torch.useRows();
        float[] viaRows = new float[4];
        torch.forward(viaRows, row, 1);
        assertArrayEquals(viaBlas, viaRows, 1e-5f);
    }

    @Test
    void layerNormAndRmsNorm() {
        int n = 4;
        int c = 8;
        Tensors t = tensors("norm.weight", s(c), "norm.bias", s(c), "normr.weight", s(c));
        float[] x = random(n * c, 2);
        float[] dx = new float[n * c];
        float[] y = new float[n * c];
        LayerNorm ln = new LayerNorm(t, "norm", c, n);
        check("LayerNorm", () -> {
            ln.forward(y, x, n);
            return y;
        }, d -> ln.backward(dx, d, x, n), List.of(new Input("x", x, dx), param(t, "norm.weight"), param(t, "norm.bias")));
        RmsNorm rms = new RmsNorm(t, "normr", c, 1e-5, n);
        check("RMSNorm", () -> {
            rms.forward(y, x, n);
            return y;
        }, d -> rms.backward(dx, d, x, n), List.of(new Input("x", x, dx), param(t, "normr.weight")));
    }

    @Test
    void geluAndSwiGluMlps() {
        int n = 3;
        int c = 6;
        Tensors t = tensors("m.c_fc.weight", s(c, 10), "m.c_fc.bias", s(10), "m.c_proj.weight", s(10, c),
                "m.c_proj.bias", s(c), "s.gate_proj.weight", s(10, c), "s.up_proj.weight", s(10, c),
                "s.down_proj.weight", s(c, 10));
        float[] x = random(n * c, 3);
        float[] dx = new float[n * c];
        float[] y = new float[n * c];
        GeluMlp gelu = new GeluMlp(t, "m", c, 10, n, new Workspace());
        check("GELU MLP", () -> {
            gelu.forward(y, x, n);
            return y;
        }, d -> gelu.backward(dx, d, x, n), List.of(new Input("x", x, dx), param(t, "m.c_fc.weight"),
                param(t, "m.c_fc.bias"), param(t, "m.c_proj.weight"), param(t, "m.c_proj.bias")));
        GeluMlp tanh = new GeluMlp(t, "m", c, 10, n, new Workspace(), true);
        check("GELU (tanh, GPT-2's gelu_new) MLP", () -> {
            tanh.forward(y, x, n);
            return y;
        }, d -> tanh.backward(dx, d, x, n), List.of(new Input("x", x, dx), param(t, "m.c_fc.weight"),
                param(t, "m.c_fc.bias"), param(t, "m.c_proj.weight"), param(t, "m.c_proj.bias")));
        SwiGluMlp swiglu = new SwiGluMlp(t, "s", c, 10, n, new Workspace());
        check("SwiGLU MLP", () -> {
            swiglu.forward(y, x, n);
            return y;
        }, d -> swiglu.backward(dx, d, x, n), List.of(new Input("x", x, dx), param(t, "s.gate_proj.weight"),
                param(t, "s.up_proj.weight"), param(t, "s.down_proj.weight")));
    }

    @Test
    void fusedMultiHeadAttention() {
        int b = 2;
        int tt = 4;
        int c = 8;
        Tensors t = tensors("a.c_attn.weight", s(c, 3 * c), "a.c_attn.bias", s(3 * c), "a.c_proj.weight", s(c, c),
                "a.c_proj.bias", s(c));
        Attention att = new Attention(t, "a", true, c, 2, 2, b, tt, null, 0, null, 0, 2, false, new Workspace());
        float[] x = random(b * tt * c, 4);
        float[] dx = new float[x.length];
        float[] y = new float[x.length];
        check("attention (fused, 2 heads)", () -> {
            att.forward(y, x, true);
            return y;
        }, d -> att.backward(dx, d, x, true), List.of(new Input("x", x, dx), param(t, "a.c_attn.weight"),
                param(t, "a.c_attn.bias"), param(t, "a.c_proj.weight"), param(t, "a.c_proj.bias")));
    }

    @Test
    void groupedQueryAttentionWithRopeAndDropout() {
        int b = 2;
        int tt = 5;
        int c = 16;
        Tensors t = tensors("a.q_proj.weight", s(c, c), "a.k_proj.weight", s(8, c), "a.v_proj.weight", s(8, c),
                "a.o_proj.weight", s(c, c));
        for (double p : new double[] {0, 0.3}) {
            Attention att = new Attention(t, "a", false, c, 4, 2, b, tt, new Rope(4, 10000, tt), p, new Dropout(9), 1, 1,
                    false, new Workspace());
            float[] x = random(b * tt * c, 5);
            float[] dx = new float[x.length];
            float[] y = new float[x.length];
            check("attention (4 heads, 2 kv heads, RoPE, dropout " + p + ")", () -> {
                att.forward(y, x, true);
                return y;
            }, d -> att.backward(dx, d, x, true), List.of(new Input("x", x, dx), param(t, "a.q_proj.weight"),
                    param(t, "a.k_proj.weight"), param(t, "a.v_proj.weight"), param(t, "a.o_proj.weight")));
        }
    }

    @Test
    void encoderAndCrossEntropy() {
        int n = 6;
        int c = 4;
        int v = 5;
        Tensors t = tensors("wte", s(v, c), "wpe", s(3, c));
        int[] ids = {0, 4, 2, 2, 1, 3};
        Encoder enc = new Encoder(t.p("wte"), t.g("wte"), t.p("wpe"), t.g("wpe"), c);
        float[] y = new float[n * c];
        check("token + learned position embedding", () -> {
            enc.forward(y, ids, n, 3);
            return y;
        }, d -> enc.backward(d, ids, n, 3), List.of(param(t, "wte"), param(t, "wpe")));

        float[] logits = random(n * v, 6);
        float[] work = new float[n * v];
        float[] dlogits = new float[n * v];
        float[] loss = new float[1];
        check("softmax cross-entropy", () -> {
            System.arraycopy(logits, 0, work, 0, work.length);
            loss[0] = (float) CrossEntropy.forward(work, ids, new float[n], n, v, new float[n * v], new int[n * v]);
            return loss;
        }, d -> {
            CrossEntropy.backward(dlogits, work, ids, n, v);
            for (int i = 0; i < dlogits.length; i++) {
                dlogits[i] *= d[0];
            }
        }, List.of(new Input("logits", logits, dlogits)));
    }

    @Test
    void ropeIsARotationAndItsBackwardTheInverse() {
        Rope rope = new Rope(8, 10000, 6);
        float[] x = random(6 * 16, 7);
        float[] y = x.clone();
        rope.apply(y, 6, 16, 0, 2, 6, false);
        for (int r = 0; r < 6; r++) {
            for (int h = 0; h < 2; h++) {
                double nx = 0;
                double ny = 0;
                for (int i = 0; i < 8; i++) {
                    nx += x[r * 16 + h * 8 + i] * x[r * 16 + h * 8 + i];
                    ny += y[r * 16 + h * 8 + i] * y[r * 16 + h * 8 + i];
                }
                assertTrue(Math.abs(nx - ny) < 1e-4 * nx, "a rotation keeps each head's length");
            }
        }
        assertArrayEquals(Arrays.copyOf(x, 16), Arrays.copyOf(y, 16), 0f, "position 0 is not rotated");
        rope.apply(y, 6, 16, 0, 2, 6, true);
        assertArrayEquals(x, y, 1e-5f, "the inverse rotation undoes it");
    }
}
