package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Llama's causal self-attention: bias-free projections {@code q_proj}, {@code k_proj},
 * {@code v_proj}, {@code o_proj} (Hugging Face's names, [out, in] layout), rotary positions on
 * the queries and keys, and grouped-query attention (Ainslie et al. 2023): nHead query heads share
 * nKvHead key/value heads, query head h reading kv head h / (nHead / nKvHead) (PyTorch's
 * {@code repeat_interleave}); nKvHead = 1 is multi-query, nKvHead = nHead ordinary multi-head.
 */
public final class GroupedQueryAttention {
    public final Linear q;
    public final Linear k;
    public final Linear v;
    public final Linear o;
    private final Graph g;
    private final int nEmbd;
    private final int nHead;
    private final int nKvHead;
    private final double theta;
    private final double dropout;

    public GroupedQueryAttention(Graph g, String name, int nEmbd, int nHead, int nKvHead, double theta, double dropout,
            double projStd) {
        int hs = nEmbd / nHead;
        this.q = Linear.torch(g, name + ".q_proj", nEmbd, nHead * hs, 0.02);
        this.k = Linear.torch(g, name + ".k_proj", nEmbd, nKvHead * hs, 0.02);
        this.v = Linear.torch(g, name + ".v_proj", nEmbd, nKvHead * hs, 0.02);
        this.o = Linear.torch(g, name + ".o_proj", nHead * hs, nEmbd, projStd);
        this.g = g;
        this.nEmbd = nEmbd;
        this.nHead = nHead;
        this.nKvHead = nKvHead;
        this.theta = theta;
        this.dropout = dropout;
    }

    /** x: [b·t, nEmbd] → [b·t, nEmbd] */
    public SDVariable forward(SDVariable x, int b, int t) {
        int hs = nEmbd / nHead;
        SDVariable qr = Rope.apply(g, q.forward(x), b, t, nHead, hs, theta);            // [b·t, nHead·hs]
        SDVariable kr = repeatKv(Rope.apply(g, k.forward(x), b, t, nKvHead, hs, theta), hs); // [b·t, nHead·hs]
        SDVariable vr = repeatKv(v.forward(x), hs);
        SDVariable y = MultiHeadAttention.attendHeads(g, qr, kr, vr, b, t, nHead, hs, true, dropout).output(); // [b·t, C]
        return g.dropout(o.forward(y), dropout, (long) b * t, nEmbd);
    }

    /**
     * [b·t, nKvHead·hs] → [b·t, nHead·hs], each kv head repeated for its group of query heads:
     * a product with a constant 0/1 matrix, which SameDiff differentiates exactly.
     */
    private SDVariable repeatKv(SDVariable x, int hs) {
        if (nKvHead == nHead) {
            return x;
        }
        int group = nHead / nKvHead;
        double[][] m = new double[nKvHead * hs][nHead * hs];
        for (int h = 0; h < nHead; h++) {
            for (int d = 0; d < hs; d++) {
                m[(h / group) * hs + d][h * hs + d] = 1;
            }
        }
        return x.mmul(g.constant(g.uniqueName("repeat_kv"), Nd4j.create(m)));
    }
}
