package org.autoreg.core.nn;

import java.util.Arrays;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoder-only transformer (GPT-2 / nanoGPT): token + position embeddings → nLayer
 * {@link Block}s → final LayerNorm → LM head (the token embedding matrix again when
 * {@code tiedEmbeddings}) giving a score for every vocabulary entry at every position.
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

        Embedding wte = new Embedding(g, "transformer.wte", config.vocabSize(), c, 0.02);
        PositionalEncoding wpe = PositionalEncoding.of(config.positional(), g, "transformer.wpe", config.blockSize(), c,
                0.02);
        SDVariable tok = wte.forward(sd.reshape(idx, (long) b * t));                       // [b·t, C]
        SDVariable x = sd.reshape(sd.reshape(tok, b, t, c).add(wpe.forward(t)), (long) b * t, c); // + positions
        x = g.dropout(x, config.dropout(), (long) b * t, c);
        for (int i = 0; i < config.nLayer(); i++) {
            x = new Block(g, "transformer.h." + i, config).forward(x, b, t);
        }
        x = new LayerNorm(g, "transformer.ln_f", c, config.bias()).forward(x);
        SDVariable logits = config.tiedEmbeddings()
                ? sd.mmul(GptGraph.LOGITS, x, wte.weight, false, true, false)                 // x · wteᵀ
                : sd.mmul(GptGraph.LOGITS, x, g.param(LM_HEAD, new long[] {c, config.vocabSize()}, Init.normal(0.02)),
                        false, false, false);                                                 // [b·t, V]
        SDVariable labels = wte.oneHot(sd.reshape(targets, (long) b * t));
        // -mean log p(target): dense softmaxCrossEntropy ignores a scaled upstream gradient (NOTES.md)
        sd.math.neg(GptGraph.LOSS, sd.mean(sd.sum(labels.mul(sd.nn.logSoftmax(logits)), 1)));
        sd.setLossVariables(GptGraph.LOSS);
        return new GptGraph(g, b, t);
    }
}
