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
        SoftmaxAttention.Result r = attendHeads(g, qkv[0], qkv[1], qkv[2], b, t, nHead, hs, causal, dropout);
        return new SoftmaxAttention.Result(g.dropout(cProj.forward(r.output()), dropout, (long) b * t, nEmbd),
                r.weights());
    }

    /**
     * Scaled-dot-product attention of every head: q, k, v [b·t, nHead·hs] (heads side by side) →
     * output [b·t, nHead·hs] (heads side by side again) and the weights [b, nHead, t, t], dropout
     * applied to the weights in a training graph.
     */
    static SoftmaxAttention.Result attendHeads(Graph g, SDVariable q, SDVariable k, SDVariable v, int b, int t,
            int nHead, int hs, boolean causal, double dropout) {
        SameDiff sd = g.sd();
        SDVariable w = SoftmaxAttention.weights(g, heads(sd, q, b, t, nHead, hs), heads(sd, k, b, t, nHead, hs), hs, t,
                Similarity.SCALED_DOT, causal);                                                  // [b, nHead, t, t]
        SDVariable att = sd.mmul(g.dropout(w, dropout, b, nHead, t, t), heads(sd, v, b, t, nHead, hs)); // [b, nHead, t, hs]
        return new SoftmaxAttention.Result(sd.reshape(sd.permute(att, 0, 2, 1, 3), (long) b * t, (long) nHead * hs), w);
    }

    /** [b·t, nHead·hs] → [b, nHead, t, hs] */
    private static SDVariable heads(SameDiff sd, SDVariable x, int b, int t, int nHead, int hs) {
        return sd.permute(sd.reshape(x, b, t, nHead, hs), 0, 2, 1, 3);
    }
}
