package org.autoreg.core.engine;

/**
 * A fully connected layer, {@code out = inp · W (+ b)}, forward and backward. The weight is
 * stored [in, out] (GPT-2's Conv1D, {@link Layout#IN_OUT}) or [out, in] (nn.Linear, Llama,
 * {@link Layout#OUT_IN}); BLAS reads either without a copy. Decoding rows skip BLAS (its per-call
 * copy of the whole weight costs more than a few rows' product; NOTES.md): with explicit SIMD they
 * run {@link VectorProducts} over the weight as [in, out] (a transposed copy for OUT_IN), otherwise
 * axpys over a row-array copy, which the JIT vectorizes. Either way each output is summed in the
 * same order whatever the batch, so a row's result does not depend on the rows beside it.
 */
final class Linear {
    enum Layout { IN_OUT, OUT_IN }

    final int in;
    final int out;
    private final float[] w;      // [in, out] or [out, in]
    private final float[] dw;     // same, or null
    private final float[] b;      // [out] or null
    private final float[] db;
    private final Layout layout;
    private float[] wIn;          // [in, out]: the weight for SIMD decoding products, or null
    private float[][] rows;       // [in][out]: the weight for plain decoding products, or null
    private float[][] acc;        // [≥ n][out]: decoding rows being summed
    private final Tensors tensors;
    private final String weight;

    Linear(Tensors t, String weight, String bias, int in, int out, Layout layout) {
        this.in = in;
        this.out = out;
        this.w = t.p(weight);
        this.dw = t.g(weight);
        this.b = bias != null && t.has(bias) ? t.p(bias) : null;
        this.db = b == null ? null : t.g(bias);
        this.layout = layout;
        this.tensors = t;
        this.weight = weight;
        if (w.length != in * out) {
            throw new IllegalArgumentException(weight + " holds " + w.length + " values, not " + in + " × " + out);
        }
    }

    /** Prepares the weight for decoding products, for SIMD when {@link org.autoreg.core.Simd#enabled()}. */
    void useRows() {
        useRows(org.autoreg.core.Simd.enabled());
    }

    /**
     * Prepares the weight for decoding products, [in, out] for {@link VectorProducts} when
     * {@code simd}, else as row arrays (copied once per {@link Tensors} and shared by every decoder
     * over them; the weight must not change afterwards).
     */
    void useRows(boolean simd) {
        if (simd) {
            wIn = layout == Layout.IN_OUT ? w : tensors.derived(weight + "[in,out]", this::inOut);
            return;
        }
        rows = tensors.derived(weight + "[in][out]", () -> {
            float[] t = inOut();
            float[][] r = new float[in][];
            for (int i = 0; i < in; i++) {
                r[i] = java.util.Arrays.copyOfRange(t, i * out, (i + 1) * out);
            }
            return r;
        });
    }

    /** The weight as [in, out]: w itself, or (OUT_IN) a transposed copy. */
    private float[] inOut() {
        if (layout == Layout.IN_OUT) {
            return w;
        }
        float[] t = new float[in * out];
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                t[i * out + j] = w[j * in + i];
            }
        }
        return t;
    }

    /** y[n, out] = x[n, in] · W + b */
    void forward(float[] y, float[] x, int n) {
        if (wIn != null) {
            for (int r = 0; r < n; r++) {
                startWithBias(y, r * out);
            }
            VectorProducts.addProduct(y, x, wIn, n, in, out);
            return;
        }
        if (rows != null) {
            forwardRows(y, x, n);
            return;
        }
        if (b != null) {
            for (int r = 0; r < n; r++) {
                startWithBias(y, r * out);
            }
        }
        Blas.gemm(false, layout == Layout.OUT_IN, n, out, in, x, w, b == null ? 0f : 1f, y);
    }

    /**
     * y[n, out] = x[n, in] · W + b as axpys over the weight's rows: y[r] = b + Σ_i x[r, i] · W[i],
     * four rows at a time into row arrays (which the JIT vectorizes side by side: they are
     * distinct arrays indexed alike), each weight row read once per four rows while it is in L1.
     */
    private void forwardRows(float[] y, float[] x, int n) {
        if (n == 1) {                                                // one row: summed in place, as below
            startWithBias(y, 0);
            for (int i = 0; i < in; i++) {
                axpy(y, x[i], rows[i], out);
            }
            return;
        }
        if (acc == null || acc.length < n) {
            acc = new float[Math.max(n, 4) + 3 & ~3][out];
        }
        for (int r = 0; r < n; r++) {
            startWithBias(acc[r], 0);
        }
        int n4 = n & ~3;
        for (int i = 0; i < in; i++) {
            float[] w = rows[i];
            for (int r = 0; r < n4; r += 4) {
                float[] a0 = acc[r];
                float[] a1 = acc[r + 1];
                float[] a2 = acc[r + 2];
                float[] a3 = acc[r + 3];
                float x0 = x[r * in + i];
                float x1 = x[(r + 1) * in + i];
                float x2 = x[(r + 2) * in + i];
                float x3 = x[(r + 3) * in + i];
                for (int j = 0; j < out; j++) {
                    float wj = w[j];
                    a0[j] += x0 * wj;
                    a1[j] += x1 * wj;
                    a2[j] += x2 * wj;
                    a3[j] += x3 * wj;
                }
            }
            for (int r = n4; r < n; r++) {
                axpy(acc[r], x[r * in + i], w, out);
            }
        }
        for (int r = 0; r < n; r++) {
            System.arraycopy(acc[r], 0, y, r * out, out);
        }
    }

    /** a[off, off + out) = b, or 0 without a bias. */
    private void startWithBias(float[] a, int off) {
        if (b != null) {
            System.arraycopy(b, 0, a, off, out);
        } else {
            java.util.Arrays.fill(a, off, off + out, 0f);
        }
    }

    /** a[0, m) += xi · w[0, m) */
    private static void axpy(float[] a, float xi, float[] w, int m) {
        for (int j = 0; j < m; j++) {
            a[j] += xi * w[j];
        }
    }

    /**
     * dx[n, in] = dy · Wᵀ (added to dx when {@code accumulate}, else overwritten);
     * dW += xᵀ · dy (or dyᵀ · x in the [out, in] layout); db += Σ_rows dy.
     */
    void backward(float[] dx, float[] dy, float[] x, int n, boolean accumulate) {
        float beta = accumulate ? 1f : 0f;
        if (layout == Layout.IN_OUT) {
            Blas.gemm(false, true, n, in, out, dy, w, beta, dx);
            Blas.gemm(true, false, in, out, n, x, dy, 1f, dw);
        } else {
            Blas.gemm(false, false, n, in, out, dy, w, beta, dx);
            Blas.gemm(true, false, out, in, n, dy, x, 1f, dw);
        }
        if (db != null) {
            for (int r = 0; r < n; r++) {
                int o = r * out;
                for (int j = 0; j < out; j++) {
                    db[j] += dy[o + j];
                }
            }
        }
    }
}
