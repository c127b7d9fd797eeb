package org.autoreg.core.nn;

import org.autoreg.core.ModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A pre-LayerNorm transformer block (GPT-2): {@code x + attn(ln_1(x))}, then
 * {@code x + mlp(ln_2(x))}. The residual stream x passes through untouched; each sub-layer adds
 * to it.
 */
public final class Block {
    public final LayerNorm ln1;
    public final MultiHeadAttention attn;
    public final LayerNorm ln2;
    public final GeluMlp mlp;

    public Block(Graph g, String name, ModelConfig c) {
        double projStd = 0.02 / Math.sqrt(2.0 * c.nLayer()); // GPT-2: residual projections scaled by depth
        this.ln1 = new LayerNorm(g, name + ".ln_1", c.nEmbd(), c.bias());
        this.attn = new MultiHeadAttention(g, name + ".attn", c.nEmbd(), c.nHead(), true, c.bias(), c.dropout(), projStd);
        this.ln2 = new LayerNorm(g, name + ".ln_2", c.nEmbd(), c.bias());
        this.mlp = new GeluMlp(g, name + ".mlp", c.nEmbd(), c.bias(), c.dropout(), projStd,
                c.geluTanh() ? Activation.GELU_TANH : Activation.GELU);
    }

    /** x: [b·t, nEmbd] → [b·t, nEmbd] */
    public SDVariable forward(SDVariable x, int b, int t) {
        x = x.add(attn.forward(ln1.forward(x), b, t).output());
        return x.add(mlp.forward(ln2.forward(x), (long) b * t));
    }
}
