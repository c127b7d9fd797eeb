package org.autoreg.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.autoreg.core.ModelConfig;
import org.autoreg.core.Rng;
import org.junit.jupiter.api.Test;

/** The key/value-cached decoder gives the full forward pass's logits, position by position. */
class IncrementalGptTest {

    private static void sameLogits(ModelConfig c) {
        Gpt model = new Gpt(c);
        int t = c.blockSize();
        GptEngine full = new GptEngine(model, 1, t, 1);
        IncrementalGpt inc = new IncrementalGpt(model);
        int[][] x = GptGradientTest.tokens(new Rng(4), 1, t, c.vocabSize());
        for (int p = 0; p < t; p++) {
            float[] a = inc.next(x[0][p]);
            float[] b = full.logits(x, 0, p);
            for (int v = 0; v < a.length; v++) {
                assertEquals(b[v], a[v], 1e-4, "position " + p + ", token " + v);
            }
        }
        assertEquals(t, inc.position());
        assertThrows(IllegalStateException.class, () -> inc.next(0), "a full cache");
        inc.reset();
        assertEquals(0, inc.position());
    }

    @Test
    void matchesTheFullPassOnTheBabyModel() {
        sameLogits(ModelConfig.babyShakespeare(65));
    }

    @Test
    void matchesWithBiasUntiedHeadAndSinusoidalPositions() {
        sameLogits(new ModelConfig(11, 12, 2, 2, 16, 0, true, false, PositionalEncoding.Kind.SINUSOIDAL, 3));
    }
}
