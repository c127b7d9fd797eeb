package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One attention head over a single sequence: queries, keys and values are learned linear maps
 * of the input (Q = xW_q, K = xW_k, V = xW_v), compared with the scaled dot product.
 */
public final class SelfAttention {
    public final Linear query;
    public final Linear key;
    public final Linear value;
    private final Graph g;
    private final int headSize;
    private final boolean causal;

    public SelfAttention(Graph g, String name, int nEmbd, int headSize, boolean causal, boolean bias) {
        this.query = new Linear(g, name + ".query", nEmbd, headSize, bias, 0.02);
        this.key = new Linear(g, name + ".key", nEmbd, headSize, bias, 0.02);
        this.value = new Linear(g, name + ".value", nEmbd, headSize, bias, 0.02);
        this.g = g;
        this.headSize = headSize;
        this.causal = causal;
    }

    /** x: [t, nEmbd] → output [t, headSize] and weights [t, t]. */
    public SoftmaxAttention.Result forward(SDVariable x, int t) {
        return SoftmaxAttention.attend(g, query.forward(x), key.forward(x), value.forward(x), headSize, t,
                Similarity.SCALED_DOT, causal);
    }
}
