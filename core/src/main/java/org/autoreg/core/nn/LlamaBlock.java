package org.autoreg.core.nn;

import org.autoreg.core.ModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A Llama decoder layer: {@code x + attn(rmsnorm(x))}, then {@code x + swiglu(rmsnorm(x))}; the
 * same pre-norm residual pattern as GPT-2's {@link Block} with Llama's pieces.
 */
public final class LlamaBlock {
    public final RmsNorm inputNorm;
    public final GroupedQueryAttention attn;
    public final RmsNorm postAttentionNorm;
    public final SwiGluMlp mlp;

    public LlamaBlock(Graph g, String name, ModelConfig c) {
        double projStd = 0.02 / Math.sqrt(2.0 * c.nLayer());
        this.inputNorm = new RmsNorm(g, name + ".input_layernorm", c.nEmbd(), c.rmsNormEps());
        this.attn = new GroupedQueryAttention(g, name + ".self_attn", c.nEmbd(), c.nHead(), c.kvHeads(), c.ropeTheta(),
                c.dropout(), projStd);
        this.postAttentionNorm = new RmsNorm(g, name + ".post_attention_layernorm", c.nEmbd(), c.rmsNormEps());
        this.mlp = new SwiGluMlp(g, name + ".mlp", c.nEmbd(), c.mlpHidden(), c.dropout(), projStd);
    }

    /** x: [b·t, nEmbd] → [b·t, nEmbd] */
    public SDVariable forward(SDVariable x, int b, int t) {
        x = x.add(attn.forward(inputNorm.forward(x), b, t));
        return x.add(mlp.forward(postAttentionNorm.forward(x), (long) b * t));
    }
}
