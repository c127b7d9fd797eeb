package org.autoreg.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.Rng;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** Learning end to end through autodiff: a tiny GPT memorizes a 200-character text. */
class OverfitTest {
    static final String TEXT = "First Citizen: Before we proceed any further, hear me speak. All: Speak, speak. "
            + "First Citizen: You are all resolved rather to die than to famish? All: Resolved. resolved. "
            + "First Citizen: First, you kno";

    @Test
    void tinyGptOverfitsTwoHundredCharacters() {
        assertTrue(TEXT.length() == 200, "200 characters: " + TEXT.length());
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        t.feed(TEXT);
        Tokenizer tok = t.train();
        int[] ids = tok.encodeOrdinary(TEXT);
        int block = ids.length - 1; // the whole text at once: every position sees its full prefix
        ModelConfig c = new ModelConfig(tok.vocabSize(), block, 2, 2, 32, 0, false, true,
                PositionalEncoding.Kind.LEARNED, 1);
        Gpt gpt = new Gpt(c);
        GptGraph graph = gpt.graph(1, block, true);
        Map<String, GradientUpdater<?>> adam = new HashMap<>();
        gpt.params().asMap().forEach((name, p) -> adam.put(name, new Adam(1e-2).instantiate(
                org.nd4j.linalg.factory.Nd4j.zeros(p.dataType(), 2 * p.length()).reshape(1, 2 * p.length()), true)));
        int[][] x = {java.util.Arrays.copyOfRange(ids, 0, block)};
        int[][] y = {java.util.Arrays.copyOfRange(ids, 1, block + 1)};
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 150; step++) {
            GptGraph.Step r = graph.step(x, y, new Rng(step));
            if (step == 0) {
                first = r.loss();
            }
            last = r.loss();
            for (Map.Entry<String, INDArray> e : r.gradients().entrySet()) {
                INDArray g = e.getValue();
                adam.get(e.getKey()).applyUpdater(g, step, 0);
                gpt.params().get(e.getKey()).subi(g);
            }
        }
        assertTrue(first > Math.log(tok.vocabSize()) - 0.5, "starts near uniform: " + first);
        assertTrue(last < 0.05, "memorized: loss " + first + " -> " + last);
    }
}
