package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Root-mean-square normalization (Zhang &amp; Sennrich 2019), Llama's LayerNorm: each row divided by
 * its RMS, √(mean(x²) + ε), then multiplied by a learned gain. No centering, no bias.
 */
public final class RmsNorm {
    /** [dim], initially 1 */
    public final SDVariable weight;
    private final Graph g;
    private final double eps;

    public RmsNorm(Graph g, String name, int dim, double eps) {
        this.weight = g.param(name + ".weight", new long[] {dim}, Init.ones());
        this.g = g;
        this.eps = eps;
    }

    /** x: [n, dim] → x · rsqrt(mean(x²) + ε) · w, [n, dim] */
    public SDVariable forward(SDVariable x) {
        SDVariable ms = g.sd().mean(x.mul(x), true, 1);                   // [n, 1]
        return x.mul(g.sd().math.rsqrt(ms.add(eps))).mul(weight);
    }
}
