package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax attention, the idea in three steps: a similarity table between every query and every
 * key, a softmax along each row (each query's weights sum to 1), and the weighted sum of the
 * values. With {@code causal}, position i only attends to positions ≤ i: the future is set to
 * {@link #MASKED} before the softmax, so its weight is 0.
 */
public final class SoftmaxAttention {
    /** Added to masked scores; exp of it underflows to exactly 0. */
    public static final double MASKED = -1e9;

    private SoftmaxAttention() {
    }

    /** The attention output and the weights that made it. */
    public record Result(SDVariable output, SDVariable weights) {
    }

    /** q [..., t, d], k [..., t, d], v [..., t, dv] → output [..., t, dv], weights [..., t, t]. */
    public static Result attend(Graph g, SDVariable q, SDVariable k, SDVariable v, long d, int t, Similarity similarity,
            boolean causal) {
        SDVariable w = weights(g, q, k, d, t, similarity, causal);
        return new Result(g.sd().mmul(w, v), w);
    }

    /** The attention weights: softmax rows of the (masked) similarity table, [..., t, t]. */
    public static SDVariable weights(Graph g, SDVariable q, SDVariable k, long d, int t, Similarity similarity,
            boolean causal) {
        SDVariable scores = similarity.table(g.sd(), q, k, d);
        if (causal) {
            scores = scores.add(g.constant(g.uniqueName("causal_mask"), causalMask(t)));
        }
        return g.sd().nn.softmax(scores, -1);
    }

    /** [t, t]: 0 on and below the diagonal, {@link #MASKED} above it. */
    public static INDArray causalMask(int t) {
        double[][] m = new double[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                m[i][j] = MASKED;
            }
        }
        return Nd4j.create(m);
    }
}
