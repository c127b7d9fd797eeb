package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How similar a query is to each key: the score table attention turns into weights. For
 * queries [..., n, d] and keys [..., m, d] every function returns the table [..., n, m].
 * <ul>
 *   <li>{@link #DOT}: q·k, grows with the vectors' lengths;</li>
 *   <li>{@link #COSINE}: q·k / (|q| |k|), the angle only, in [-1, 1];</li>
 *   <li>{@link #SCALED_DOT}: q·k / √d, the dot product kept at unit scale for random vectors
 *       of dimension d, so the softmax does not saturate (Vaswani et al. 2017).</li>
 * </ul>
 * On unit-length vectors dot and cosine agree.
 */
public enum Similarity {
    DOT, COSINE, SCALED_DOT;

    /** The score table of SameDiff variables q [..., n, d], k [..., m, d] → [..., n, m]. */
    public SDVariable table(SameDiff sd, SDVariable q, SDVariable k, long d) {
        switch (this) {
            case DOT:
                return sd.mmul(q, k, false, true, false);
            case SCALED_DOT:
                return sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(d));
            default:
                SDVariable qn = q.div(sd.math.sqrt(sd.sum(q.mul(q), true, -1)));
                SDVariable kn = k.div(sd.math.sqrt(sd.sum(k.mul(k), true, -1)));
                return sd.mmul(qn, kn, false, true, false);
        }
    }

    /** The score table of plain matrices q [n, d], k [m, d] → [n, m] (for looking at numbers). */
    public INDArray table(INDArray q, INDArray k) {
        INDArray dot = q.mmul(k.transpose());
        switch (this) {
            case DOT:
                return dot;
            case SCALED_DOT:
                return dot.div(Math.sqrt(q.size(1)));
            default:
                INDArray qn = q.norm2(1).reshape(q.size(0), 1);
                INDArray kn = k.norm2(1).reshape(1, k.size(0));
                return dot.div(qn.mmul(kn));
        }
    }

    /** Row-wise softmax of a plain score table, with the future masked out if {@code causal}. */
    public static INDArray softmaxRows(INDArray scores, boolean causal) {
        INDArray s = scores.dup();
        if (causal) {
            for (int i = 0; i < s.rows(); i++) {
                for (int j = i + 1; j < s.columns(); j++) {
                    s.putScalar(i, j, SoftmaxAttention.MASKED);
                }
            }
        }
        return Transforms.softmax(s, true);
    }
}
