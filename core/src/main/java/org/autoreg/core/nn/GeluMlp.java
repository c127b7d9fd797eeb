package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** The transformer's feed-forward part: nEmbd → 4·nEmbd → GELU → nEmbd ({@code c_fc}, {@code c_proj}). */
public final class GeluMlp {
    public final Linear cFc;
    public final Linear cProj;
    private final Graph g;
    private final double dropout;

    public GeluMlp(Graph g, String name, int nEmbd, boolean bias, double dropout, double projStd) {
        this.cFc = new Linear(g, name + ".c_fc", nEmbd, 4 * nEmbd, bias, 0.02);
        this.cProj = new Linear(g, name + ".c_proj", 4 * nEmbd, nEmbd, bias, projStd);
        this.g = g;
        this.dropout = dropout;
    }

    /** x: [n, nEmbd] → [n, nEmbd] */
    public SDVariable forward(SDVariable x, long n) {
        return g.dropout(cProj.forward(Activation.gelu(g.sd(), cFc.forward(x))), dropout, n, cProj.weight.getShape()[1]);
    }
}
