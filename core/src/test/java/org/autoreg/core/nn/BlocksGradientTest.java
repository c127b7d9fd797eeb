package org.autoreg.core.nn;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every building block's gradient agrees with finite differences (double precision). */
class BlocksGradientTest {

    static INDArray random(Rng rng, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    /** loss = Σ forward(x) ⊙ R for a fixed random R, so every output element matters differently. */
    static void check(String what, long[] inShape, Function<Graph, Function<SDVariable, SDVariable>> block) {
        Rng rng = new Rng(what.hashCode());
        Graph g = Graph.create(DataType.DOUBLE, 42);
        Function<SDVariable, SDVariable> f = block.apply(g);
        SDVariable x = g.input("x", inShape);
        Map<String, INDArray> in = new HashMap<>();
        in.put("x", random(rng, inShape));
        SDVariable y = f.apply(x);
        long[] outShape = g.sd().output(in, y.name()).get(y.name()).shape();
        SDVariable loss = g.sd().sum("check_loss", y.mul(g.constant("check_r", random(rng, outShape))));
        GradientCheck.assertPasses(GradientCheck.check(g, loss, in), what);
    }

    @Test
    void linear() {
        check("linear", new long[] {5, 4}, g -> new Linear(g, "fc", 4, 3, true)::forward);
        check("linear no bias", new long[] {5, 4}, g -> new Linear(g, "fc", 4, 3, false, 0.5)::forward);
    }

    @Test
    void mlpWithEachActivation() {
        for (Activation a : Activation.values()) {
            check("mlp " + a, new long[] {6, 2}, g -> new Mlp(g, "mlp", new int[] {2, 5, 3}, a)::forward);
        }
    }

    @Test
    void embeddingAndPositions() {
        Rng rng = new Rng(3);
        Graph g = Graph.create(DataType.DOUBLE, 7);
        Embedding e = new Embedding(g, "wte", 6, 4, 0.5);
        PositionalEncoding p = PositionalEncoding.learned(g, "wpe", 5, 4, 0.5);
        SDVariable ids = g.sd().constant("ids", Nd4j.createFromArray(0, 5, 2, 2));
        SDVariable y = e.forward(ids).add(p.forward(4));          // t < blockSize: a slice of the table
        SDVariable full = p.forward(5).mul(2.0);                  // t == blockSize: the whole table
        SDVariable loss = g.sd().sum("l", y.mul(g.constant("r", random(rng, 4, 4))))
                .add(g.sd().sum(full.mul(g.constant("r2", random(rng, 5, 4)))));
        GradientCheck.assertPasses(GradientCheck.check(g, loss, Map.of()), "embedding + learned positions");
    }

    @Test
    void similarities() {
        for (Similarity s : Similarity.values()) {
            Rng rng = new Rng(s.ordinal());
            Graph g = Graph.create(DataType.DOUBLE, 1);
            SDVariable q = g.param("q", new long[] {3, 4}, Init.normal(1));
            SDVariable k = g.param("k", new long[] {5, 4}, Init.normal(1));
            SDVariable loss = g.sd().sum("l", s.table(g.sd(), q, k, 4).mul(g.constant("r", random(rng, 3, 5))));
            GradientCheck.assertPasses(GradientCheck.check(g, loss, Map.of()), "similarity " + s);
        }
    }

    @Test
    void softmaxAttentionCausalAndNot() {
        for (boolean causal : new boolean[] {false, true}) {
            Rng rng = new Rng(causal ? 1 : 2);
            Graph g = Graph.create(DataType.DOUBLE, 3);
            SDVariable q = g.param("q", new long[] {2, 4, 3}, Init.normal(1));
            SDVariable k = g.param("k", new long[] {2, 4, 3}, Init.normal(1));
            SDVariable v = g.param("v", new long[] {2, 4, 5}, Init.normal(1));
            SoftmaxAttention.Result r = SoftmaxAttention.attend(g, q, k, v, 3, 4, Similarity.SCALED_DOT, causal);
            SDVariable loss = g.sd().sum("l", r.output().mul(g.constant("r", random(rng, 2, 4, 5))));
            GradientCheck.assertPasses(GradientCheck.check(g, loss, Map.of()), "softmax attention causal=" + causal);
        }
    }

    @Test
    void singleHeadSelfAttention() {
        check("self-attention", new long[] {4, 6}, g -> x -> new SelfAttention(g, "head", 6, 3, true, true)
                .forward(x, 4).output());
    }

    @Test
    void multiHeadAttention() {
        check("multi-head attention", new long[] {2 * 3, 8}, g -> x -> new MultiHeadAttention(g, "attn", 8, 2, true,
                true, 0, 0.3).forward(x, 2, 3).output());
        check("multi-head attention, not causal, no bias", new long[] {2 * 3, 8}, g -> x -> new MultiHeadAttention(g,
                "attn", 8, 4, false, false, 0, 0.3).forward(x, 2, 3).output());
    }

    @Test
    void layerNorm() {
        check("layer norm", new long[] {4, 6}, g -> new LayerNorm(g, "ln", 6, true)::forward);
        check("layer norm no bias", new long[] {4, 6}, g -> new LayerNorm(g, "ln", 6, false)::forward);
    }

    @Test
    void geluMlp() {
        check("gelu mlp", new long[] {3, 4}, g -> x -> new GeluMlp(g, "mlp", 4, true, 0, 0.3).forward(x, 3));
    }

    @Test
    void transformerBlock() {
        ModelConfig c = new ModelConfig(7, 4, 1, 2, 8, 0, true, true, PositionalEncoding.Kind.LEARNED, 1);
        check("block", new long[] {2 * 3, 8}, g -> x -> new Block(g, "h.0", c).forward(x, 2, 3));
    }
}
