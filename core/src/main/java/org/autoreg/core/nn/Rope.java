package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in Hugging Face's rotate-half convention:
 * each head vector x of size hs at position p becomes {@code x·cos(pθ) + rotate_half(x)·sin(pθ)},
 * with {@code rotate_half([x1, x2]) = [−x2, x1]} (x1, x2 its halves) and frequencies
 * θ_i = theta^(−2i/hs) repeated over both halves. q·k then depends only on the distance between
 * the two positions.
 */
public final class Rope {
    private Rope() {
    }

    /** The angle p·θ_i of pair i (i &lt; hs/2) at position p, in float as PyTorch computes it. */
    public static float angle(int p, int i, int hs, double theta) {
        float invFreq = (float) (1.0 / Math.pow(theta, (2.0 * i) / hs));
        return (float) p * invFreq;
    }

    /**
     * x: [b·t, heads·hs] (rows in order b, t), positions 0..t−1 → the same shape, rotated. The
     * rotation is two constant tables and one product with the constant rotate-half matrix, so
     * the graph differentiates it exactly.
     */
    public static SDVariable apply(Graph g, SDVariable x, int b, int t, int heads, int hs, double theta) {
        double[][] cos = new double[b * t][heads * hs];
        double[][] sin = new double[b * t][heads * hs];
        for (int r = 0; r < b * t; r++) {
            int p = r % t;
            for (int h = 0; h < heads; h++) {
                for (int j = 0; j < hs; j++) {
                    float a = angle(p, j % (hs / 2), hs, theta);
                    cos[r][h * hs + j] = (float) Math.cos(a);
                    sin[r][h * hs + j] = (float) Math.sin(a);
                }
            }
        }
        double[][] rot = new double[hs][hs];                                   // x · rot = rotate_half(x)
        for (int j = 0; j < hs / 2; j++) {
            rot[j + hs / 2][j] = -1;
            rot[j][j + hs / 2] = 1;
        }
        INDArray rotM = Nd4j.create(rot);
        SDVariable rotated = g.sd().reshape(g.sd().mmul(g.sd().reshape(x, (long) b * t * heads, hs),
                g.constant(g.uniqueName("rope_rotate_half"), rotM)), (long) b * t, (long) heads * hs);
        return x.mul(g.constant(g.uniqueName("rope_cos"), Nd4j.create(cos)))
                .add(rotated.mul(g.constant(g.uniqueName("rope_sin"), Nd4j.create(sin))));
    }
}
