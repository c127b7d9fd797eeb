package org.autoreg.core.engine;

import org.autoreg.core.ModelConfig;
import org.autoreg.core.nn.Gpt;

/**
 * A {@link Gpt} run one token at a time with a key/value cache, for generation: each new token
 * costs one pass of a single vector through the same kernels the {@link Engine} trains with
 * (products as axpys over row copies of the weights; no BLAS call, which would copy every weight
 * matrix per token).
 *
 * <p>Context window: a token attends to at most {@code blockSize} positions, itself included.
 * <ul>
 * <li>llama (rotary positions): the cache rolls — keys are cached after rotation at their
 *     absolute positions and the oldest is overwritten — so generation goes on forever at the
 *     cost of one token step ({@link #rolling()} is true);</li>
 * <li>gpt2 (absolute positions): a full cache is an error; the caller slides the window and
 *     recomputes, or restarts the cache.</li>
 * </ul>
 * Not thread-safe: use {@link #fork()} for one decoder per thread.
 */
public final class Decoder {
    private final Tensors weights;
    private final ModelConfig cfg;
    private final Transformer net;
    private int pos;

    /** A decoder over {@code model}'s current weights (copied), with an empty cache. */
    public Decoder(Gpt model) {
        this(new Tensors(model.params(), false), model.config());
    }

    private Decoder(Tensors weights, ModelConfig cfg) {
        this.weights = weights;
        this.cfg = cfg;
        this.net = new Transformer(weights, cfg, 1, cfg.blockSize(), 1, 0, true);
    }

    /**
     * A new decoder over the same weights (shared, not copied) with an empty cache: one per
     * concurrent sequence. The weights are never written, so forks may run on different threads.
     */
    public Decoder fork() {
        return new Decoder(weights, cfg);
    }

    public ModelConfig config() {
        return cfg;
    }

    /** True when the cache rolls (rotary positions): no context limit on generation. */
    public boolean rolling() {
        return cfg.architecture() == ModelConfig.Architecture.LLAMA;
    }

    /** Number of tokens fed since the last reset (their absolute positions are 0 .. position − 1). */
    public int position() {
        return pos;
    }

    /** Forgets every cached token. */
    public void reset() {
        pos = 0;
    }

    /**
     * Appends {@code token} at the next position and returns the logits of the token after it
     * (a new array).
     */
    public float[] next(int token) {
        if (!rolling() && pos >= cfg.blockSize()) {
            throw new IllegalStateException("the cache holds blockSize = " + cfg.blockSize() + " tokens; reset it");
        }
        if (token < 0 || token >= cfg.vocabSize()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary 0.."
                    + (cfg.vocabSize() - 1));
        }
        float[] logits = net.step(token, pos).clone();
        pos++;
        return logits;
    }
}
