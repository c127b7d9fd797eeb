package org.autoreg.train;

import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.Rng;
import org.autoreg.core.engine.Engine;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.GptGraph;
import org.autoreg.core.nn.Params;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the trainer needs from a model: parameters and gradients as float arrays (the optimizer
 * works on those), a forward+backward pass and an evaluation pass. Two implementations: the
 * hand-written layer kernels of {@link Engine} ("fast") and the SameDiff autodiff graph
 * ("samediff", the reference the kernels are checked against). Both do dropout.
 */
interface TrainingEngine {
    List<String> names();

    List<long[]> shapes();

    float[][] params();

    float[][] grads();

    /** Loss of the batch; adds its gradient to {@link #grads} (zeroing them first unless {@code accumulate}). */
    double forwardBackward(int[][] x, int[][] y, boolean accumulate);

    /** Loss of the batch, no gradient, no dropout. */
    double loss(int[][] x, int[][] y);

    /** Copies the parameters into the model's arrays (before saving). */
    void copyTo(Params target);

    /** Replaces the parameters with {@code source}'s (same names and shapes; when resuming). */
    default void copyFrom(Params source) {
        List<String> names = names();
        for (int i = 0; i < names.size(); i++) {
            float[] v = Params.floats(source.get(names.get(i)));
            System.arraycopy(v, 0, params()[i], 0, v.length);
        }
    }

    /** Generator state of the dropout masks (empty without dropout). */
    long[] dropoutState();

    void restoreDropoutState(long[] state);

    /** {@code threads}: the fast engine's workers (the SameDiff graph uses ND4J's own, OMP_NUM_THREADS). */
    static TrainingEngine create(String kind, Gpt model, int batch, int block, long seed, int threads) {
        return "samediff".equals(kind) ? new SameDiff(model, batch, block, seed)
                : new Fast(model, batch, block, seed, threads);
    }

    /** The hand-written forward/backward. */
    final class Fast implements TrainingEngine {
        private final Engine engine;

        Fast(Gpt model, int batch, int block, long seed, int threads) {
            this.engine = new Engine(model, batch, block, threads, Rng.derive(seed, "dropout"));
        }

        @Override
        public List<String> names() {
            return engine.names();
        }

        @Override
        public List<long[]> shapes() {
            return engine.shapes();
        }

        @Override
        public float[][] params() {
            return engine.params();
        }

        @Override
        public float[][] grads() {
            return engine.grads();
        }

        @Override
        public double forwardBackward(int[][] x, int[][] y, boolean accumulate) {
            double loss = engine.forward(x, y);
            if (!accumulate) {
                engine.zeroGrad();
            }
            engine.backward();
            return loss;
        }

        @Override
        public double loss(int[][] x, int[][] y) {
            return engine.evaluate(x, y);
        }

        @Override
        public void copyTo(Params target) {
            engine.copyTo(target);
        }

        @Override
        public long[] dropoutState() {
            return engine.dropoutState();
        }

        @Override
        public void restoreDropoutState(long[] state) {
            engine.restoreDropoutState(state);
        }
    }

    /** The SameDiff autodiff graph (supports dropout); parameters mirrored into float arrays. */
    final class SameDiff implements TrainingEngine {
        private final Gpt model;
        private final GptGraph train;
        private final GptGraph eval;
        private final List<String> names;
        private final List<long[]> shapes = new ArrayList<>();
        private final float[][] params;
        private final float[][] grads;
        private Rng dropout;

        SameDiff(Gpt model, int batch, int block, long seed) {
            this.model = model;
            this.train = model.graph(batch, block, true);
            this.eval = model.graph(batch, block, false);
            this.names = model.params().names();
            this.params = new float[names.size()][];
            this.grads = new float[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                INDArray a = model.params().get(names.get(i));
                shapes.add(a.shape());
                params[i] = Params.floats(a);
                grads[i] = new float[params[i].length];
            }
            this.dropout = new Rng(Rng.derive(seed, "dropout"));
        }

        private void push() {
            for (int i = 0; i < names.size(); i++) {
                INDArray dst = model.params().get(names.get(i));
                dst.assign(Nd4j.create(params[i], shapes.get(i), 'c').castTo(dst.dataType()));
            }
        }

        @Override
        public List<String> names() {
            return names;
        }

        @Override
        public List<long[]> shapes() {
            return shapes;
        }

        @Override
        public float[][] params() {
            return params;
        }

        @Override
        public float[][] grads() {
            return grads;
        }

        @Override
        public double forwardBackward(int[][] x, int[][] y, boolean accumulate) {
            push();
            GptGraph.Step s = train.step(x, y, dropout);
            for (int i = 0; i < names.size(); i++) {
                float[] g = Params.floats(s.gradients().get(names.get(i)));
                if (accumulate) {
                    for (int k = 0; k < g.length; k++) {
                        grads[i][k] += g[k];
                    }
                } else {
                    System.arraycopy(g, 0, grads[i], 0, g.length);
                }
            }
            return s.loss();
        }

        @Override
        public double loss(int[][] x, int[][] y) {
            push();
            return eval.loss(x, y);
        }

        @Override
        public void copyTo(Params target) {
            push();
            if (target != model.params()) {
                for (String n : names) {
                    target.get(n).assign(model.params().get(n));
                }
            }
        }

        @Override
        public long[] dropoutState() {
            return dropout.state();
        }

        @Override
        public void restoreDropoutState(long[] state) {
            if (state.length == 2) {
                dropout = Rng.restore(state);
            }
        }
    }
}
