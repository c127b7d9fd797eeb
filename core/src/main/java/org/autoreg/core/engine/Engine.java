package org.autoreg.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.Params;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast training engine: a {@link Gpt} of either architecture as a composition of hand-written
 * layer kernels (forward and backward over preallocated float arrays, OpenBLAS for the products),
 * as Karpathy's llm.c. It computes what the SameDiff graph computes — same parameters, names and
 * layouts, dropout included (inverted, nanoGPT's placements); tests compare the loss and every
 * gradient — in a fraction of the time and memory (BENCHMARKS.md).
 *
 * <p>Dropout masks come from a counter-based generator seeded by {@code dropoutSeed}, saved and
 * restored with {@link #dropoutState()}: same seed and same state give the same masks for any
 * thread count. Not thread-safe. One engine serves one batch shape {@code [batch, seqLen]}.
 */
public final class Engine {
    private final ModelConfig cfg;
    private final Transformer net;
    private final int B;
    private final int T;
    private final int V;
    private final int N;
    private final int[] inputs;
    private final int[] targets;
    private final float[] losses;
    private final float[] dlogits;
    private final int[] bits;
    private boolean forwardDone;
    private boolean forwardTrained;

    /** An engine for batches of {@code batch × seqLen} tokens, the parameters of {@code model} copied in, no dropout seed. */
    public Engine(Gpt model, int batch, int seqLen) {
        this(model, batch, seqLen, threads(), 0);
    }

    /**
     * @param threads     workers for the attention loops (the results are the same for any count)
     * @param dropoutSeed seed of the dropout masks (used when the config's dropout is above 0)
     */
    public Engine(Gpt model, int batch, int seqLen, int threads, long dropoutSeed) {
        this.cfg = model.config();
        if (seqLen > cfg.blockSize() || seqLen < 1 || batch < 1) {
            throw new IllegalArgumentException("batch " + batch + " × " + seqLen + " tokens does not fit block size "
                    + cfg.blockSize());
        }
        B = batch;
        T = seqLen;
        V = cfg.vocabSize();
        N = B * T;
        net = new Transformer(model.params(), cfg, B, T, Math.max(1, threads), dropoutSeed, false);
        inputs = new int[N];
        targets = new int[N];
        losses = new float[N];
        dlogits = new float[N * V];
        bits = new int[N * V];
    }

    /**
     * Worker threads: {@code OMP_NUM_THREADS} (the knob BLAS reads too), else the number of cores.
     */
    public static int threads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            return omp != null ? Math.max(1, Integer.parseInt(omp.trim())) : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    public ModelConfig config() {
        return cfg;
    }

    public int batch() {
        return B;
    }

    public int seqLen() {
        return T;
    }

    /** Parameter names, in {@link Params} order. */
    public List<String> names() {
        return List.copyOf(net.t.names);
    }

    /** Parameter shapes, in {@link Params} order. */
    public List<long[]> shapes() {
        return new ArrayList<>(net.t.shapes);
    }

    /** The parameters (live arrays: an optimizer updates them in place). */
    public float[][] params() {
        return net.t.params;
    }

    /** The gradients of the last {@link #backward} (live arrays). */
    public float[][] grads() {
        return net.t.grads;
    }

    /** Copies the engine's parameters into {@code target} (e.g. before saving a checkpoint). */
    public void copyTo(Params target) {
        for (int i = 0; i < net.t.names.size(); i++) {
            INDArray dst = target.get(net.t.names.get(i));
            dst.assign(Nd4j.create(net.t.params[i], net.t.shapes.get(i), 'c').castTo(dst.dataType()));
        }
    }

    /** Copies {@code source} (same names and shapes) into the engine. */
    public void copyFrom(Params source) {
        for (int i = 0; i < net.t.names.size(); i++) {
            float[] v = Params.floats(source.get(net.t.names.get(i)));
            System.arraycopy(v, 0, net.t.params[i], 0, net.t.params[i].length);
        }
    }

    /** The gradients as arrays keyed by parameter name (for tests and tools). */
    public Map<String, INDArray> gradientArrays() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < net.t.names.size(); i++) {
            out.put(net.t.names.get(i), Nd4j.create(net.t.grads[i], net.t.shapes.get(i), 'c'));
        }
        return out;
    }

    /** Training forward pass (with dropout when the model has it): the mean cross-entropy of predicting y from x. */
    public double forward(int[][] x, int[][] y) {
        return forward(x, y, true);
    }

    /** Evaluation forward pass (never dropout): the mean cross-entropy. */
    public double evaluate(int[][] x, int[][] y) {
        return forward(x, y, false);
    }

    private double forward(int[][] x, int[][] y, boolean train) {
        flatten(y, targets);
        flatten(x, inputs);
        float[] logits = net.forward(inputs, train);
        double loss = CrossEntropy.forward(logits, targets, losses, N, V, dlogits, bits);
        forwardDone = true;
        forwardTrained = train;
        return loss;
    }

    /**
     * Forward pass without a loss (no dropout): the raw logits of every vocabulary entry at
     * position {@code t} of sequence {@code b}, as a new array. Attention is causal, so positions
     * after {@code t} may hold anything (padding).
     */
    public float[] logits(int[][] x, int b, int t) {
        flatten(x, inputs);
        float[] logits = net.forward(inputs, false);
        forwardDone = false;
        float[] out = new float[V];
        System.arraycopy(logits, (b * T + t) * V, out, 0, V);
        return out;
    }

    /** Copies a B × T batch of token ids into {@code dst} row after row, checking the shape and every id. */
    private void flatten(int[][] ids, int[] dst) {
        if (ids.length != B || ids[0].length != T) {
            throw new IllegalArgumentException("this engine takes batches of " + B + " × " + T + " tokens");
        }
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                dst[b * T + t] = Encoder.check(ids[b][t], V);
            }
        }
    }

    /** Sets every gradient to 0. */
    public void zeroGrad() {
        for (float[] g : net.t.grads) {
            java.util.Arrays.fill(g, 0f);
        }
    }

    /**
     * Backward pass of the last {@link #forward}: adds the gradient of the mean loss to
     * {@link #grads} (call {@link #zeroGrad} first unless accumulating).
     */
    public void backward() {
        if (!forwardDone) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        CrossEntropy.backward(dlogits, net.logits, targets, N, V);
        net.backward(dlogits, inputs, forwardTrained);
    }

    /** Forward, zeroGrad, backward: the loss, with fresh gradients in {@link #grads}. */
    public double step(int[][] x, int[][] y) {
        double loss = forward(x, y);
        zeroGrad();
        backward();
        return loss;
    }

    /** The next-token distribution at position t of sequence b of the last forward pass with targets (a copy). */
    public float[] probabilities(int b, int t) {
        float[] p = new float[V];
        System.arraycopy(net.logits, (b * T + t) * V, p, 0, V);
        return p;
    }

    /** The per-position losses of the last forward pass. */
    public float[] losses() {
        return losses.clone();
    }

    /** The dropout generator's state (seed, passes so far), empty without dropout. */
    public long[] dropoutState() {
        return net.dropout() == null ? new long[0] : net.dropout().state();
    }

    /** Continues the dropout masks from a saved {@link #dropoutState()}. */
    public void restoreDropoutState(long[] state) {
        if (net.dropout() != null && state != null && state.length == 2) {
            net.restoreDropout(state);
        }
    }

    /**
     * The dropout masks of the last training pass in the SameDiff graph's order (embeddings, then
     * per layer: attention weights [B, nHead, T, T], attention output, MLP output), each a
     * row-major array of 0 and 1/(1 − p); empty without dropout. For tests against the graph.
     */
    public List<float[]> dropoutMasks() {
        List<float[]> out = new ArrayList<>();
        if (net.dropout() == null) {
            return out;
        }
        out.add(net.embMask.clone());
        for (Block b : net.blocks()) {
            float[][] heads = b.attention().masks();
            float[] all = new float[heads.length * T * T];
            for (int h = 0; h < heads.length; h++) {
                System.arraycopy(heads[h], 0, all, h * T * T, T * T);
            }
            out.add(all);
            out.add(b.attMask.clone());
            out.add(b.mlpMask.clone());
        }
        return out;
    }
}
