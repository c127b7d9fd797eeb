package org.autoreg.core.engine;

import org.autoreg.core.ModelConfig;
import org.autoreg.core.nn.Gpt;

/**
 * One sequence of a {@link Gpt} run token by token with a key/value cache, for generation: each
 * new token costs one pass of a single row through the same kernels the {@link Engine} trains
 * with (products as axpys over row copies of the weights; no BLAS call, which would copy every
 * weight matrix per token). Many sequences advance together through a {@link Batch}: one pass
 * of all their rows, each row's result bit for bit what {@link #next} gives it alone.
 *
 * <p>Context window: a token attends to at most {@code blockSize} positions, itself included.
 * <ul>
 * <li>llama (rotary positions): the cache rolls — keys are cached after rotation at their
 *     absolute positions and the oldest is overwritten — so generation goes on forever at the
 *     cost of one token step ({@link #rolling()} is true);</li>
 * <li>gpt2 (absolute positions): a full cache is an error; the caller slides the window and
 *     recomputes, or restarts the cache.</li>
 * </ul>
 * Not thread-safe: use {@link #fork()} for one decoder per sequence.
 */
public final class Decoder {
    private final Tensors weights;
    private final ModelConfig cfg;
    private final KvCache[] caches;   // [nLayer]
    private final int capacity;       // positions the caches hold: blockSize, or fewer for a short sequence
    private Batch single;             // the one-row pass of next(), made on first use
    private Transformer window;       // the full pass of fullPass(), made on first use
    private int[] windowIds;
    private int pos;

    /** A decoder over {@code model}'s current weights (copied), with an empty cache. */
    public Decoder(Gpt model) {
        this(new Tensors(model.params(), false), model.config());
    }

    private Decoder(Tensors weights, ModelConfig cfg) {
        this(weights, cfg, cfg.blockSize());
    }

    private Decoder(Tensors weights, ModelConfig cfg, int capacity) {
        this.weights = weights;
        this.cfg = cfg;
        this.capacity = capacity;
        this.caches = new KvCache[cfg.nLayer()];
        for (int l = 0; l < caches.length; l++) {
            caches[l] = new KvCache(cfg.nHead(), cfg.kvHeads(), cfg.headSize(), capacity);
        }
    }

    /**
     * A new decoder over the same weights (shared, not copied) with an empty cache: one per
     * concurrent sequence. The weights are never written, so forks may run on different threads.
     */
    public Decoder fork() {
        return new Decoder(weights, cfg);
    }

    /**
     * A fork for a sequence that will never hold more than {@code positions} tokens: its cache is
     * sized to min(positions, blockSize), so a short request's memory is bounded by its own length
     * rather than by the model's context. Feeding more tokens than that is an error.
     */
    public Decoder fork(int positions) {
        if (positions < 1) {
            throw new IllegalArgumentException("a sequence holds at least one position, not " + positions);
        }
        return new Decoder(weights, cfg, Math.min(positions, cfg.blockSize()));
    }

    public ModelConfig config() {
        return cfg;
    }

    /**
     * True when the cache rolls (rotary positions): no context limit on generation (a fork sized
     * below blockSize does not roll).
     */
    public boolean rolling() {
        return cfg.architecture() == ModelConfig.Architecture.LLAMA && capacity == cfg.blockSize();
    }

    /** Number of tokens fed since the last reset (their absolute positions are 0 .. position − 1). */
    public int position() {
        return pos;
    }

    /**
     * Starts this (empty) decoder from the first {@code n} cached tokens of {@code from}, a fork of
     * the same weights holding at least those tokens (and the same ones this sequence starts with:
     * the caller checks): prefix caching, as a server's requests that share a system prompt or a
     * chat template's opening; {@code from} must not have rolled. The copied keys and values are bit for bit what feeding those
     * tokens would compute, so the sequence continues exactly as it would have.
     */
    public void copyPrefix(Decoder from, int n) {
        if (from.weights != weights) {
            throw new IllegalArgumentException("the prefix comes from a decoder over other weights");
        }
        if (pos != 0 || n < 0 || n > from.pos || from.pos > from.capacity || n > capacity) {
            throw new IllegalArgumentException("cannot copy " + n + " positions from a decoder at " + from.pos
                    + " into one at " + pos + " holding " + capacity);
        }
        for (int l = 0; l < caches.length; l++) {
            caches[l].copyPrefix(from.caches[l], n);
        }
        pos = n;
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
        if (single == null) {
            single = new Batch(this, 1);
        }
        return single.step(new Decoder[] {this}, new int[] {token}, new boolean[] {true}, 1)[0];
    }

    /**
     * The logits of the token after ids[from, from + len) by a full pass over those tokens alone,
     * without the cache (len ≤ blockSize): exactly what {@link Engine#logits} computes, over this
     * decoder's shared weights (nothing copied). For models whose cache cannot roll once the text
     * outgrows the context, and for generation without a cache. The cache is left as it is.
     */
    public float[] fullPass(int[] ids, int from, int len) {
        int block = cfg.blockSize();
        if (len < 1 || len > block) {
            throw new IllegalArgumentException("a full pass takes 1.." + block + " tokens, not " + len);
        }
        if (window == null) {
            window = new Transformer(weights, cfg, 1, block, 1, 0, false);
            windowIds = new int[block];
        }
        java.util.Arrays.fill(windowIds, 0);
        for (int i = 0; i < len; i++) {
            windowIds[i] = Encoder.check(ids[from + i], cfg.vocabSize());
        }
        float[] logits = window.forward(windowIds, false);
        return java.util.Arrays.copyOfRange(logits, (len - 1) * cfg.vocabSize(), len * cfg.vocabSize());
    }

    /** Checks that {@code token} may be appended; the position it takes. */
    private int take(int token) {
        if (pos >= capacity && !rolling()) {
            throw new IllegalStateException("the cache holds " + capacity + " tokens"
                    + (capacity == cfg.blockSize() ? " (blockSize)" : " (the positions this decoder was forked for)")
                    + "; reset it");
        }
        Encoder.check(token, cfg.vocabSize());
        return pos++;
    }

    /**
     * One pass for the rows of many decoders over the same weights (continuous batching): row r
     * appends a token to decoder r's cache; a decoder may take several consecutive rows (a prompt
     * fed in one pass). Each row's logits are bit for bit those {@link Decoder#next} would give
     * (every kernel computes a row the same way whatever rows are beside it). Not thread-safe: one
     * per thread; its scratch is sized for {@code capacity} rows.
     */
    public static final class Batch {
        private final Tensors weights;
        private final Transformer net;
        private final int[] pos;
        private final KvCache[][] caches;
        private final int[] want;

        /** A pass of up to {@code capacity} rows over the weights of {@code decoder} (and its forks). */
        public Batch(Decoder decoder, int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("a batch holds at least one row, not " + capacity);
            }
            this.weights = decoder.weights;
            this.net = new Transformer(decoder.weights, decoder.cfg, capacity, decoder.cfg.blockSize(), 1, 0, true);
            pos = new int[capacity];
            caches = new KvCache[capacity][];
            want = new int[capacity];
        }

        /** The most rows one {@link #step} takes. */
        public int capacity() {
            return pos.length;
        }

        /**
         * Appends tokens[r] to seqs[r] for r &lt; n (rows of one decoder consecutive, in order) and
         * returns the logits of the next token after each row r with {@code logits[r]} set, in row
         * order (new arrays of vocabSize).
         */
        public float[][] step(Decoder[] seqs, int[] tokens, boolean[] logits, int n) {
            if (n < 1 || n > pos.length) {
                throw new IllegalArgumentException(n + " rows for a batch of " + pos.length);
            }
            int m = 0;
            int r = 0;
            try {
                for (; r < n; r++) {
                    Decoder d = seqs[r];
                    if (d.weights != weights) {
                        throw new IllegalArgumentException("row " + r + "'s decoder runs other weights; use a fork "
                                + "of the batch's decoder");
                    }
                    pos[r] = d.take(tokens[r]);
                    caches[r] = d.caches;
                    if (logits[r]) {
                        want[m++] = r;
                    }
                }
            } catch (RuntimeException e) {
                while (--r >= 0) {
                    seqs[r].pos--;                          // nothing was fed
                }
                throw e;
            }
            float[] out = net.step(tokens, pos, caches, n, want, m);
            int V = net.V;
            float[][] result = new float[m][];
            for (int i = 0; i < m; i++) {
                result[i] = java.util.Arrays.copyOfRange(out, i * V, (i + 1) * V);
            }
            return result;
        }
    }
}
