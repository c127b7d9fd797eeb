package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** The transformer's feed-forward part: nEmbd → 4·nEmbd → GELU → nEmbd ({@code c_fc}, {@code c_proj}). */
public final class GeluMlp {
    public final Linear cFc;
    public final Linear cProj;
    private final Graph g;
    private final double dropout;
    private final Activation gelu;

    /** With the exact GELU. */
    public GeluMlp(Graph g, String name, int nEmbd, boolean bias, double dropout, double projStd) {
        this(g, name, nEmbd, bias, dropout, projStd, Activation.GELU);
    }

    /** {@code gelu}: {@link Activation#GELU} (exact) or {@link Activation#GELU_TANH} (GPT-2's approximation). */
    public GeluMlp(Graph g, String name, int nEmbd, boolean bias, double dropout, double projStd, Activation gelu) {
        this.cFc = new Linear(g, name + ".c_fc", nEmbd, 4 * nEmbd, bias, 0.02);
        this.cProj = new Linear(g, name + ".c_proj", 4 * nEmbd, nEmbd, bias, projStd);
        this.g = g;
        this.dropout = dropout;
        this.gelu = gelu;
    }

    /** x: [n, nEmbd] → [n, nEmbd] */
    public SDVariable forward(SDVariable x, long n) {
        return g.dropout(cProj.forward(gelu.apply(g.sd(), cFc.forward(x))), dropout, n, cProj.weight.getShape()[1]);
    }
}
