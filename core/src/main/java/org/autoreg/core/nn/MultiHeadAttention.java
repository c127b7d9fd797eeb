package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Multi-head (causal) self-attention as GPT-2 and nanoGPT compute it: one projection to
 * queries, keys and values of all heads ({@code c_attn}), nHead independent scaled-dot-product
 * attentions of size nEmbd/nHead, their outputs side by side, and an output projection
 * ({@code c_proj}) that mixes the heads.
 */
public final class MultiHeadAttention {
    public final Linear cAttn;
    public final Linear cProj;
    private final Graph g;
    private final int nEmbd;
    private final int nHead;
    private final boolean causal;
    private final double dropout;

    /** {@code projStd}: init std of c_proj (GPT-2 scales it by 1/√(2·nLayer)). */
    public MultiHeadAttention(Graph g, String name, int nEmbd, int nHead, boolean causal, boolean bias, double dropout,
            double projStd) {
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("nEmbd " + nEmbd + " is not divisible by nHead " + nHead);
        }
        this.cAttn = new Linear(g, name + ".c_attn", nEmbd, 3 * nEmbd, bias, 0.02);
        this.cProj = new Linear(g, name + ".c_proj", nEmbd, nEmbd, bias, projStd);
        this.g = g;
        this.nEmbd = nEmbd;
        this.nHead = nHead;
        this.causal = causal;
        this.dropout = dropout;
    }

    /** x: [b·t, nEmbd] → output [b·t, nEmbd] and the weights of every head [b, nHead, t, t]. */
    public SoftmaxAttention.Result forward(SDVariable x, int b, int t) {
        SameDiff sd = g.sd();
        int hs = nEmbd / nHead;
        SDVariable[] qkv = sd.split(cAttn.forward(x), 3, 1);               // 3 × [b·t, nEmbd]
        SDVariable q = heads(sd, qkv[0], b, t, hs);                        // [b, nHead, t, hs]
        SDVariable k = heads(sd, qkv[1], b, t, hs);
        SDVariable v = heads(sd, qkv[2], b, t, hs);
        SDVariable w = SoftmaxAttention.weights(g, q, k, hs, t, Similarity.SCALED_DOT, causal); // [b, nHead, t, t]
        SDVariable att = sd.mmul(g.dropout(w, dropout, b, nHead, t, t), v);                    // [b, nHead, t, hs]
        SDVariable y = sd.reshape(sd.permute(att, 0, 2, 1, 3), (long) b * t, nEmbd);          // heads side by side
        return new SoftmaxAttention.Result(g.dropout(cProj.forward(y), dropout, (long) b * t, nEmbd), w);
    }

    /** [b·t, nEmbd] → [b, nHead, t, hs] */
    private SDVariable heads(SameDiff sd, SDVariable x, int b, int t, int hs) {
        return sd.permute(sd.reshape(x, b, t, nHead, hs), 0, 2, 1, 3);
    }
}
