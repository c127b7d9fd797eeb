package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Layer normalization (Ba et al. 2016) over the last dimension: each row rescaled to mean 0 and
 * variance 1 (ε = 1e-5, as PyTorch), then multiplied by a learned gain and shifted by a learned
 * bias (optional, as nanoGPT's {@code bias=False}).
 */
public final class LayerNorm {
    public static final double EPS = 1e-5;
    /** [dim], initially 1 */
    public final SDVariable weight;
    /** [dim], initially 0; null without bias */
    public final SDVariable bias;
    private final Graph g;

    public LayerNorm(Graph g, String name, int dim, boolean bias) {
        this.weight = g.param(name + ".weight", new long[] {dim}, Init.ones());
        this.bias = bias ? g.param(name + ".bias", new long[] {dim}, Init.zeros()) : null;
        this.g = g;
    }

    /** x: [n, dim] → [n, dim] */
    public SDVariable forward(SDVariable x) {
        SDVariable mean = g.sd().mean(x, true, 1);                        // [n, 1]
        SDVariable centered = x.sub(mean);
        SDVariable var = g.sd().mean(centered.mul(centered), true, 1);    // biased variance, [n, 1]
        SDVariable y = centered.mul(g.sd().math.rsqrt(var.add(EPS))).mul(weight);
        return bias == null ? y : y.add(bias);
    }
}
