package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Llama's feed-forward part (Shazeer 2020, "GLU Variants Improve Transformer"):
 * {@code down(silu(gate(x)) ⊙ up(x))}, silu(z) = z·σ(z). Three bias-free projections in
 * nn.Linear's [out, in] layout, named as Hugging Face's LlamaMLP.
 */
public final class SwiGluMlp {
    public final Linear gate;
    public final Linear up;
    public final Linear down;
    private final Graph g;
    private final double dropout;
    private final int nEmbd;

    public SwiGluMlp(Graph g, String name, int nEmbd, int hidden, double dropout, double projStd) {
        this.gate = Linear.torch(g, name + ".gate_proj", nEmbd, hidden, 0.02);
        this.up = Linear.torch(g, name + ".up_proj", nEmbd, hidden, 0.02);
        this.down = Linear.torch(g, name + ".down_proj", hidden, nEmbd, projStd);
        this.g = g;
        this.dropout = dropout;
        this.nEmbd = nEmbd;
    }

    /** x: [n, nEmbd] → [n, nEmbd] */
    public SDVariable forward(SDVariable x, long n) {
        SDVariable a = gate.forward(x);                                      // [n, hidden]
        SDVariable h = a.mul(g.sd().nn.sigmoid(a)).mul(up.forward(x));       // silu(gate) ⊙ up
        return g.dropout(down.forward(h), dropout, n, nEmbd);
    }
}
