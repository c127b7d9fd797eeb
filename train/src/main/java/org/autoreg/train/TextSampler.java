package org.autoreg.train;

import org.autoreg.core.Rng;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.engine.Engine;
import org.autoreg.tokenizer.DecodeStream;
import org.autoreg.tokenizer.Tokenizer;

/**
 * A quick sample at the end of training, as nanoGPT's sample.py does: start from a newline,
 * draw each next token from the model's distribution (temperature {@code temperature}), with the
 * last blockSize tokens as context. Full recomputation each token; the generate module does
 * better.
 */
final class TextSampler {
    private TextSampler() {
    }

    static String sample(Gpt model, Tokenizer tok, int tokens, double temperature, long seed) {
        int block = model.config().blockSize();
        Engine engine = new Engine(model, 1, block);
        Rng rng = new Rng(seed);
        int[] start = tok.encodeOrdinary("\n");
        int[] ctx = new int[tokens + Math.max(1, start.length)];
        int n = 0;
        for (int id : start.length > 0 ? start : new int[] {0}) {
            ctx[n++] = id;
        }
        DecodeStream stream = tok.decodeStream(true);
        StringBuilder text = new StringBuilder();
        int[][] x = new int[1][block];
        int[][] zeros = new int[1][block];
        for (int i = 0; i < tokens; i++) {
            int from = Math.max(0, n - block);
            int len = n - from;
            java.util.Arrays.fill(x[0], 0);
            System.arraycopy(ctx, from, x[0], 0, len);
            engine.evaluate(x, zeros);
            float[] p = engine.probabilities(0, len - 1);
            int next = draw(p, temperature, rng);
            ctx[n++] = next;
            text.append(stream.step(next));
        }
        return text.append(stream.flush()).toString();
    }

    /** A draw from p^(1/temperature), renormalized. */
    private static int draw(float[] p, double temperature, Rng rng) {
        double[] w = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            w[i] = temperature == 1.0 ? p[i] : Math.pow(Math.max(p[i], 0), 1 / temperature);
        }
        return rng.nextWeighted(w);
    }
}
