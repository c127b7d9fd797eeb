package org.autoreg.core.nn;

import java.util.Arrays;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoder-only transformer, in either architecture of {@link ModelConfig}:
 * <pre>
 * gpt2:  x = wte[idx] + wpe[pos] → nLayer × {@link Block} (LayerNorm, attention, GELU MLP) → ln_f → head
 * llama: x = embed_tokens[idx]   → nLayer × {@link LlamaBlock} (RMSNorm, RoPE GQA attention, SwiGLU) → norm → head
 * </pre>
 * The LM head is the token embedding matrix again when {@code tiedEmbeddings}; it gives a score
 * for every vocabulary entry at every position.
 *
 * <p>A {@code Gpt} is its config and its {@link Params}; {@link #graph} builds a SameDiff graph
 * for a batch shape over those same arrays, so training, evaluation and inference graphs share
 * the weights.
 */
public final class Gpt {
    /** Parameter names follow Hugging Face GPT-2 (weights stored [in, out], as its Conv1D). */
    public static final String WTE = "transformer.wte.weight";
    public static final String WPE = "transformer.wpe.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /** Llama's token embedding and final norm (Hugging Face's LlamaForCausalLM names). */
    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String LLAMA_NORM = "model.norm";

    private final ModelConfig config;
    private final Params params;

    /** A model with freshly initialized float32 weights (seeded by {@code config.seed()}). */
    public Gpt(ModelConfig config) {
        this(config, DataType.FLOAT);
    }

    /** A model with freshly initialized weights of {@code dtype} (double for gradient checks). */
    public Gpt(ModelConfig config, DataType dtype) {
        this.config = config;
        this.params = new Params(dtype, config.seed());
        graph(1, 1, false); // creates every parameter, in a fixed order
    }

    /**
     * A model over existing weights (loaded from a model directory): every tensor the config
     * needs must be there with its shape, and nothing else.
     */
    public Gpt(ModelConfig config, Params params) {
        this.config = config;
        this.params = params;
        Map<String, INDArray> expected = new Gpt(config, params.dtype()).params.asMap();
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            if (!params.contains(e.getKey())) {
                throw new IllegalArgumentException("the weights lack " + e.getKey() + ", which the config needs");
            }
            long[] have = params.get(e.getKey()).shape();
            if (!Arrays.equals(have, e.getValue().shape())) {
                throw new IllegalArgumentException("weight " + e.getKey() + " has shape " + Arrays.toString(have)
                        + " but the config needs " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String name : params.names()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("the weights hold " + name + ", which this config does not use");
            }
        }
    }

    public ModelConfig config() {
        return config;
    }

    public Params params() {
        return params;
    }

    /** The name of the token embedding table of {@code config}'s architecture. */
    public static String tokenEmbedding(ModelConfig config) {
        return config.architecture() == ModelConfig.Architecture.LLAMA ? EMBED_TOKENS : WTE;
    }

    /** Builds the graph for batches of {@code b} sequences of {@code t} tokens ({@code t ≤ blockSize}). */
    public GptGraph graph(int b, int t, boolean training) {
        if (t > config.blockSize()) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds the block size " + config.blockSize());
        }
        Graph g = new Graph(params, training);
        SameDiff sd = g.sd();
        int c = config.nEmbd();
        SDVariable idx = sd.placeHolder(GptGraph.IDX, DataType.INT32, b, t);
        SDVariable targets = sd.placeHolder(GptGraph.TARGETS, DataType.INT32, b, t);

        boolean llama = config.architecture() == ModelConfig.Architecture.LLAMA;
        Embedding wte = new Embedding(g, llama ? "model.embed_tokens" : "transformer.wte", config.vocabSize(), c, 0.02);
        SDVariable x = llama ? llamaBody(g, wte, idx, b, t) : gpt2Body(g, wte, idx, b, t);  // [b·t, C] normalized
        SDVariable logits;
        if (config.tiedEmbeddings()) {
            logits = sd.mmul(GptGraph.LOGITS, x, wte.weight, false, true, false);             // x · wteᵀ
        } else if (llama) {
            logits = sd.mmul(GptGraph.LOGITS, x, g.param(LM_HEAD, new long[] {config.vocabSize(), c},
                    Init.normal(0.02)), false, true, false);                                  // x · Wᵀ, W [V, C]
        } else {
            logits = sd.mmul(GptGraph.LOGITS, x, g.param(LM_HEAD, new long[] {c, config.vocabSize()},
                    Init.normal(0.02)), false, false, false);                                 // x · W, W [C, V]
        }
        SDVariable labels = wte.oneHot(sd.reshape(targets, (long) b * t));
        // -mean log p(target): dense softmaxCrossEntropy ignores a scaled upstream gradient (NOTES.md)
        sd.math.neg(GptGraph.LOSS, sd.mean(sd.sum(labels.mul(sd.nn.logSoftmax(logits)), 1)));
        sd.setLossVariables(GptGraph.LOSS);
        return new GptGraph(g, b, t);
    }

    /** wte[idx] + wpe[pos] → dropout → Blocks → ln_f: [b·t, C] */
    private SDVariable gpt2Body(Graph g, Embedding wte, SDVariable idx, int b, int t) {
        SameDiff sd = g.sd();
        int c = config.nEmbd();
        PositionalEncoding wpe = PositionalEncoding.of(config.positional(), g, "transformer.wpe", config.blockSize(), c,
                0.02);
        SDVariable tok = wte.forward(sd.reshape(idx, (long) b * t));                       // [b·t, C]
        SDVariable x = sd.reshape(sd.reshape(tok, b, t, c).add(wpe.forward(t)), (long) b * t, c); // + positions
        x = g.dropout(x, config.dropout(), (long) b * t, c);
        for (int i = 0; i < config.nLayer(); i++) {
            x = new Block(g, "transformer.h." + i, config).forward(x, b, t);
        }
        return new LayerNorm(g, "transformer.ln_f", c, config.bias()).forward(x);
    }

    /** embed_tokens[idx] → dropout → LlamaBlocks → norm: [b·t, C] */
    private SDVariable llamaBody(Graph g, Embedding embed, SDVariable idx, int b, int t) {
        int c = config.nEmbd();
        SDVariable x = g.dropout(embed.forward(g.sd().reshape(idx, (long) b * t)), config.dropout(), (long) b * t, c);
        for (int i = 0; i < config.nLayer(); i++) {
            x = new LlamaBlock(g, "model.layers." + i, config).forward(x, b, t);
        }
        return new RmsNorm(g, LLAMA_NORM, c, config.rmsNormEps()).forward(x);
    }
}
