package org.autoreg.core.engine;

/**
 * A pre-norm transformer block, the composition both architectures share:
 * <pre>
 * res2 = x + dropout(attn(norm1(x)))        [rows, C]
 * res3 = res2 + dropout(mlp(norm2(res2)))   [rows, C]
 * </pre>
 * GPT-2 fills it with LayerNorm, fused attention and a GELU MLP; Llama with RMSNorm, rotary
 * grouped-query attention and SwiGLU ({@link Transformer}).
 */
final class Block {
    private final Norm norm1;
    private final Attention attn;
    private final Norm norm2;
    private final Mlp mlp;
    private final int C;
    private final double p;
    private final Dropout dropout;   // null without dropout
    private final int site;          // sites site, site + 1: the two residual branches
    final float[] ln1;               // [rows, C]
    final float[] attOut;
    final float[] res2;
    final float[] ln2;
    final float[] mlpOut;
    final float[] res3;
    final float[] attMask;           // [rows, C] dropout masks, or null
    final float[] mlpMask;

    Block(Norm norm1, Attention attn, Norm norm2, Mlp mlp, int c, int rows, double p, Dropout dropout, int site) {
        this.norm1 = norm1;
        this.attn = attn;
        this.norm2 = norm2;
        this.mlp = mlp;
        C = c;
        this.p = p;
        this.dropout = p > 0 ? dropout : null;
        this.site = site;
        ln1 = new float[rows * C];
        attOut = new float[rows * C];
        res2 = new float[rows * C];
        ln2 = new float[rows * C];
        mlpOut = new float[rows * C];
        res3 = new float[rows * C];
        attMask = this.dropout == null ? null : new float[rows * C];
        mlpMask = this.dropout == null ? null : new float[rows * C];
    }

    Attention attention() {
        return attn;
    }

    /** x[n, C] → res3; {@code train}: with dropout. */
    float[] forward(float[] x, int n, boolean train) {
        boolean drop = train && dropout != null;
        norm1.forward(ln1, x, n);
        attn.forward(attOut, ln1, train);
        if (drop) {
            dropout.fill(attMask, n * C, p, site, 0);
            Dropout.apply(attOut, attMask, n * C);
        }
        Residual.forward(res2, x, attOut, n * C);
        norm2.forward(ln2, res2, n);
        mlp.forward(mlpOut, ln2, n);
        if (drop) {
            dropout.fill(mlpMask, n * C, p, site + 1, 0);
            Dropout.apply(mlpOut, mlpMask, n * C);
        }
        Residual.forward(res3, res2, mlpOut, n * C);
        return res3;
    }

    /**
     * Decoding: x[n, C], row r the token at absolute position pos[r] of the sequence whose cache of
     * this layer is caches[r] → res3 [n, C].
     */
    float[] step(float[] x, int n, int[] pos, KvCache[] caches) {
        norm1.forward(ln1, x, n);
        attn.step(attOut, ln1, n, pos, caches);
        Residual.forward(res2, x, attOut, n * C);
        norm2.forward(ln2, res2, n);
        mlp.forward(mlpOut, ln2, n);
        Residual.forward(res3, res2, mlpOut, n * C);
        return res3;
    }

    /**
     * dres: the gradient of res3 on entry, of x on return (in place). {@code dnc}, {@code dtmp}:
     * [n, C] scratch.
     */
    void backward(float[] dres, float[] x, int n, boolean train, float[] dnc, float[] dtmp) {
        boolean drop = train && dropout != null;
        float[] dm = dres;
        if (drop) {
            Dropout.apply(dtmp, dres, mlpMask, n * C);
            dm = dtmp;
        }
        mlp.backward(dnc, dm, ln2, n);
        norm2.backward(dres, dnc, res2, n);
        float[] da = dres;
        if (drop) {
            Dropout.apply(dtmp, dres, attMask, n * C);
            da = dtmp;
        }
        attn.backward(dnc, da, ln1, train);
        norm1.backward(dres, dnc, x, n);
    }
}
