package org.autoreg.core.nn;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoreg.core.Rng;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link Gpt} graph for one batch shape: token ids in, logits and the mean cross-entropy loss
 * out, and the gradient of the loss with respect to every parameter.
 */
public final class GptGraph {
    static final String IDX = "idx";
    static final String TARGETS = "targets";
    static final String LOGITS = "logits";
    static final String LOSS = "loss";

    private final Graph g;
    private final int batch;
    private final int seqLen;
    private boolean gradientsReady;

    GptGraph(Graph g, int batch, int seqLen) {
        this.g = g;
        this.batch = batch;
        this.seqLen = seqLen;
    }

    public int batch() {
        return batch;
    }

    public int seqLen() {
        return seqLen;
    }

    /** The underlying graph (for inspection and benchmarks). */
    public Graph graph() {
        return g;
    }

    /** The loss and the gradient of every parameter, in parameter order. */
    public record Step(double loss, Map<String, INDArray> gradients) {
    }

    /** ids [batch, seqLen] → logits [batch·seqLen, vocabSize]. */
    public INDArray logits(int[][] ids) {
        return g.sd().output(inputs(ids, ids, null), LOGITS).get(LOGITS);
    }

    /** Mean cross-entropy of predicting {@code targets} from {@code ids} (no dropout). */
    public double loss(int[][] ids, int[][] targets) {
        return g.sd().output(inputs(ids, targets, null), LOSS).get(LOSS).getDouble(0);
    }

    /** The loss with dropout masks drawn from {@code dropoutRng} (what {@link #step} differentiates). */
    public double lossWithDropout(int[][] ids, int[][] targets, Rng dropoutRng) {
        return g.sd().output(inputs(ids, targets, dropoutRng), LOSS).get(LOSS).getDouble(0);
    }

    /**
     * Forward and backward pass: the loss and its gradient for every parameter. In a training
     * graph with dropout, the masks are drawn from {@code dropoutRng}.
     */
    public Step step(int[][] ids, int[][] targets, Rng dropoutRng) {
        return step(inputs(ids, targets, dropoutRng));
    }

    /**
     * As {@link #step(int[][], int[][], Rng)} with the given dropout masks (row-major, in the
     * order of the graph's dropout sites: embeddings, then per block the attention weights, the
     * attention output and the MLP output).
     */
    public Step step(int[][] ids, int[][] targets, List<float[]> masks) {
        Map<String, INDArray> in = inputs(ids, targets, null);
        in.putAll(g.dropoutMasks(masks));
        return step(in);
    }

    private Step step(Map<String, INDArray> inputs) {
        if (!gradientsReady) {
            g.createGradients();
            gradientsReady = true;
        }
        List<String> params = g.params().names();
        OutAndGrad r = g.sd().calculateGradientsAndOutputs(inputs, List.of(LOSS), params);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (String p : params) {
            INDArray grad = r.getGradients().get(p);
            grads.put(p, grad == null ? Nd4j.zerosLike(g.params().get(p)) : grad);
        }
        return new Step(r.getOutputs().get(LOSS).getDouble(0), grads);
    }

    private Map<String, INDArray> inputs(int[][] ids, int[][] targets, Rng dropoutRng) {
        Map<String, INDArray> in = new HashMap<>();
        in.put(IDX, tokens(ids));
        in.put(TARGETS, tokens(targets));
        if (g.training()) {
            in.putAll(g.dropoutMasks(dropoutRng == null ? new Rng(0) : dropoutRng));
        }
        return in;
    }

    private INDArray tokens(int[][] ids) {
        if (ids.length != batch || ids[0].length != seqLen) {
            throw new IllegalArgumentException("this graph takes batches of " + batch + " × " + seqLen + " tokens, got "
                    + ids.length + " × " + (ids.length == 0 ? 0 : ids[0].length));
        }
        return Nd4j.createFromArray(ids).castTo(DataType.INT32);
    }
}
