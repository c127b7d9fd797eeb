package org.autoreg.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.GptGradientTest;
import org.autoreg.core.nn.GptGraph;
import org.autoreg.core.nn.PositionalEncoding;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast engine computes what the gradient-checked SameDiff graph computes, for both
 * architectures, with and without dropout: the same loss and, for every parameter, the same
 * gradient (float engine vs double graph, relative 1e-4), the dropout masks shared.
 */
class EngineTest {

    static final ModelConfig LLAMA_GQA = ModelConfig.llama(13, 8, 2, 4, 2, 32, 0, true, 7);

    private static void sameAsGraph(ModelConfig c, int b, int t) {
        Gpt reference = new Gpt(c, DataType.DOUBLE);
        Gpt model = new Gpt(c, reference.params().copy(DataType.FLOAT));
        Engine engine = new Engine(model, b, t, 2, 42);
        Rng rng = new Rng(11);
        int[][] x = GptGradientTest.tokens(rng, b, t, c.vocabSize());
        int[][] y = GptGradientTest.tokens(rng, b, t, c.vocabSize());
        double loss = engine.step(x, y);
        List<float[]> masks = engine.dropoutMasks();
        assertEquals(c.dropout() > 0, !masks.isEmpty(), "masks exist exactly when there is dropout");
        GptGraph graph = reference.graph(b, t, c.dropout() > 0);
        GptGraph.Step expected = c.dropout() > 0 ? graph.step(x, y, masks) : graph.step(x, y, (Rng) null);
        assertEquals(expected.loss(), loss, 1e-5 * Math.abs(expected.loss()), "loss");
        Map<String, INDArray> grads = engine.gradientArrays();
        assertEquals(expected.gradients().keySet(), grads.keySet(), "the same parameters");
        for (Map.Entry<String, INDArray> e : expected.gradients().entrySet()) {
            INDArray want = e.getValue();
            INDArray got = grads.get(e.getKey()).castTo(DataType.DOUBLE);
            double err = got.sub(want).norm2Number().doubleValue();
            double scale = want.norm2Number().doubleValue();
            assertTrue(err <= 1e-4 * scale + 1e-7, e.getKey() + ": relative error " + err / scale);
        }
    }

    @Test
    void gpt2TiedNoBias() {
        sameAsGraph(new ModelConfig(13, 8, 2, 2, 16, 0, false, true, PositionalEncoding.Kind.LEARNED, 1), 3, 8);
    }

    @Test
    void gpt2UntiedBiasSinusoidalShortSequences() {
        sameAsGraph(new ModelConfig(9, 8, 1, 4, 16, 0, true, false, PositionalEncoding.Kind.SINUSOIDAL, 2), 2, 5);
    }

    @Test
    void gpt2BabyShape() {
        sameAsGraph(ModelConfig.babyShakespeare(65), 2, 64);
    }

    @Test
    void gpt2WithDropoutSharedMasks() {
        sameAsGraph(new ModelConfig(13, 8, 2, 2, 16, 0.2, true, true, PositionalEncoding.Kind.LEARNED, 3), 3, 8);
    }

    @Test
    void gpt2WithGptTwosTanhGelu() {
        sameAsGraph(new ModelConfig(13, 8, 2, 2, 16, 0, true, false, PositionalEncoding.Kind.LEARNED, 4,
                ModelConfig.Architecture.GPT2, null, null, null, null, ModelConfig.GELU_TANH), 3, 8);
    }

    @Test
    void llamaGroupedQueryTied() {
        sameAsGraph(LLAMA_GQA, 3, 8);
    }

    @Test
    void llamaMultiQueryUntiedShortSequences() {
        sameAsGraph(new ModelConfig(11, 8, 2, 4, 32, 0, false, false, null, 8, ModelConfig.Architecture.LLAMA, 1, 40,
                100.0, 1e-6), 2, 6);
    }

    @Test
    void llamaMultiHeadWithDropoutSharedMasks() {
        sameAsGraph(ModelConfig.llama(13, 8, 2, 2, 2, 16, 0.25, true, 9), 3, 8);
    }

    @Test
    void llamaBabyShape() {
        sameAsGraph(ModelConfig.llama(65, 64, 4, 4, 2, 128, 0, true, 1337), 2, 64);
    }

    @Test
    void theThreadCountDoesNotChangeTheResultsWithDropout() {
        for (ModelConfig c : List.of(ModelConfig.babyShakespeare(65).withDropout(0.2),
                ModelConfig.llama(65, 64, 2, 4, 2, 64, 0.2, true, 5))) {
            Gpt model = new Gpt(c);
            Rng rng = new Rng(3);
            int[][] x = GptGradientTest.tokens(rng, 4, 64, 65);
            int[][] y = GptGradientTest.tokens(rng, 4, 64, 65);
            Engine one = new Engine(model, 4, 64, 1, 5);
            Engine three = new Engine(model, 4, 64, 3, 5);
            for (int step = 0; step < 2; step++) {
                assertEquals(one.step(x, y), three.step(x, y), 0.0, c.architecture() + " step " + step);
                for (int i = 0; i < one.grads().length; i++) {
                    assertArrayEquals(one.grads()[i], three.grads()[i], 0f, one.names().get(i));
                }
            }
        }
    }

    @Test
    void dropoutMasksFollowTheSeedAndTheSavedState() {
        ModelConfig c = ModelConfig.llama(13, 8, 1, 2, 1, 16, 0.5, true, 1);
        Gpt model = new Gpt(c);
        int[][] x = GptGradientTest.tokens(new Rng(1), 2, 8, 13);
        int[][] y = GptGradientTest.tokens(new Rng(2), 2, 8, 13);
        Engine a = new Engine(model, 2, 8, 1, 77);
        Engine b = new Engine(model, 2, 8, 1, 77);
        double a1 = a.forward(x, y);
        long[] saved = a.dropoutState();
        double a2 = a.forward(x, y);
        assertNotEquals(a1, a2, "each training pass draws new masks");
        assertEquals(a1, b.forward(x, y), 0.0, "same seed, same masks");
        Engine resumed = new Engine(model, 2, 8, 1, 0);
        resumed.restoreDropoutState(saved);
        assertEquals(a2, resumed.forward(x, y), 0.0, "a restored state continues the masks exactly");
        assertNotEquals(a1, new Engine(model, 2, 8, 1, 78).forward(x, y), "another seed, other masks");
        double e1 = a.evaluate(x, y);
        assertEquals(e1, a.evaluate(x, y), 0.0, "evaluation has no dropout");
        assertEquals(e1, new Engine(new Gpt(c.withDropout(0)), 2, 8).evaluate(x, y), 1e-6);
        int zeros = 0;
        float[] m = a.dropoutMasks().get(0);
        for (float v : m) {
            assertTrue(v == 0f || v == 2f, "inverted dropout: 0 or 1/(1−p)");
            zeros += v == 0f ? 1 : 0;
        }
        assertTrue(zeros > m.length / 4 && zeros < 3 * m.length / 4, "about half dropped: " + zeros + "/" + m.length);
    }

    @Test
    void aMaskIsTheFirstDrawsOfItsOwnStream() {
        Dropout d = new Dropout(123);
        d.nextCall();
        for (double p : new double[] {0.1, 0.2, 0.5, 0.9}) {
            float[] mask = new float[5000];
            d.fill(mask, mask.length, p, 7, 3);
            Rng r = new Rng(Rng.derive(123, "dropout", 1, 7, 3));
            for (int i = 0; i < mask.length; i++) {
                assertEquals(r.nextDouble() < 1 - p ? (float) (1 / (1 - p)) : 0f, mask[i], 0f, "p " + p + ", element " + i);
            }
        }
    }

    @Test
    void refusesWrongBatches() {
        Engine e = new Engine(new Gpt(LLAMA_GQA), 2, 4);
        assertThrows(IllegalArgumentException.class, () -> e.forward(new int[1][4], new int[1][4]));
        assertThrows(IllegalArgumentException.class, () -> e.forward(new int[][] {{0, 1, 2, 13}, {0, 0, 0, 0}},
                new int[2][4]));
        assertThrows(IllegalStateException.class, e::backward);
        assertThrows(IllegalArgumentException.class, () -> new Engine(new Gpt(LLAMA_GQA), 2, 9));
    }
}
