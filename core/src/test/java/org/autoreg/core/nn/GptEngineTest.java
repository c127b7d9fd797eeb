package org.autoreg.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hand-written engine computes what the gradient-checked SameDiff graph computes: the same
 * loss and, for every parameter, the same gradient (float engine vs double graph).
 */
class GptEngineTest {

    private static void sameAsGraph(ModelConfig c, int b, int t) {
        Gpt reference = new Gpt(c, DataType.DOUBLE);
        Gpt model = new Gpt(c, reference.params().copy(DataType.FLOAT));
        GptEngine engine = new GptEngine(model, b, t);
        Rng rng = new Rng(11);
        int[][] x = GptGradientTest.tokens(rng, b, t, c.vocabSize());
        int[][] y = GptGradientTest.tokens(rng, b, t, c.vocabSize());
        GptGraph.Step expected = reference.graph(b, t, false).step(x, y, null);
        double loss = engine.step(x, y);
        assertEquals(expected.loss(), loss, 1e-5 * Math.abs(expected.loss()), "loss");
        Map<String, INDArray> grads = engine.gradientArrays();
        for (Map.Entry<String, INDArray> e : expected.gradients().entrySet()) {
            INDArray want = e.getValue();
            INDArray got = grads.get(e.getKey()).castTo(DataType.DOUBLE);
            double err = got.sub(want).norm2Number().doubleValue();
            double scale = want.norm2Number().doubleValue();
            assertTrue(err <= 1e-4 * scale + 1e-7, e.getKey() + ": relative error " + err / scale);
        }
    }

    @Test
    void matchesTheGraphTiedNoBias() {
        sameAsGraph(new ModelConfig(13, 8, 2, 2, 16, 0, false, true, PositionalEncoding.Kind.LEARNED, 1), 3, 8);
    }

    @Test
    void matchesTheGraphUntiedBiasSinusoidalShortSequences() {
        sameAsGraph(new ModelConfig(9, 8, 1, 4, 16, 0, true, false, PositionalEncoding.Kind.SINUSOIDAL, 2), 2, 5);
    }

    @Test
    void matchesTheGraphOnTheBabyShape() {
        sameAsGraph(ModelConfig.babyShakespeare(65), 2, 64);
    }

    @Test
    void theThreadCountDoesNotChangeTheResults() {
        Gpt model = new Gpt(ModelConfig.babyShakespeare(65));
        Rng rng = new Rng(3);
        int[][] x = GptGradientTest.tokens(rng, 4, 64, 65);
        int[][] y = GptGradientTest.tokens(rng, 4, 64, 65);
        GptEngine one = new GptEngine(model, 4, 64, 1);
        GptEngine three = new GptEngine(model, 4, 64, 3);
        assertEquals(one.step(x, y), three.step(x, y), 0.0);
        for (int i = 0; i < one.grads().length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.grads()[i], three.grads()[i], 0f, one.names().get(i));
        }
    }

    @Test
    void refusesDropoutAndWrongBatches() {
        ModelConfig c = new ModelConfig(9, 8, 1, 2, 8, 0.1, false, true, PositionalEncoding.Kind.LEARNED, 2);
        assertThrows(IllegalArgumentException.class, () -> new GptEngine(new Gpt(c), 2, 4));
        GptEngine e = new GptEngine(new Gpt(c.withDropout(0)), 2, 4);
        assertThrows(IllegalArgumentException.class, () -> e.forward(new int[1][4], new int[1][4]));
        assertThrows(IllegalArgumentException.class, () -> e.forward(new int[][] {{0, 1, 2, 9}, {0, 0, 0, 0}},
                new int[2][4]));
        assertThrows(IllegalStateException.class, e::backward);
    }
}
