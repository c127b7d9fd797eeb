package org.autoreg.train;

import org.autoreg.core.Rng;
import org.autoreg.core.engine.Decoder;
import org.autoreg.core.nn.Gpt;
import org.autoreg.tokenizer.DecodeStream;
import org.autoreg.tokenizer.Tokenizer;

/**
 * A quick sample at the end of training, as nanoGPT's sample.py does: start from a newline,
 * draw each next token from the model's distribution (temperature {@code temperature}), with the
 * last blockSize tokens as context. Tokens go through the key/value-cached {@link Decoder}; once
 * the text outgrows a model whose cache cannot roll (learned positions), each token is a full
 * pass over the last blockSize tokens, as sample.py's crop. The generate module offers more.
 */
final class TextSampler {
    private TextSampler() {
    }

    static String sample(Gpt model, Tokenizer tok, int tokens, double temperature, long seed) {
        int block = model.config().blockSize();
        Decoder decoder = new Decoder(model);
        Rng rng = new Rng(seed);
        int[] start = tok.encodeOrdinary("\n");
        if (start.length == 0) {
            start = new int[] {0};
        }
        int[] ctx = new int[tokens + start.length];
        int n = 0;
        float[] logits = null;
        for (int id : start) {
            ctx[n++] = id;
            logits = feed(decoder, ctx, n, block);
        }
        DecodeStream stream = tok.decodeStream(true);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            int next = draw(logits, temperature, rng);
            ctx[n++] = next;
            text.append(stream.step(next));
            if (i + 1 < tokens) {
                logits = feed(decoder, ctx, n, block);
            }
        }
        return text.append(stream.flush()).toString();
    }

    /** The logits after ctx[0, n), whose last token is new: through the cache while it has room. */
    private static float[] feed(Decoder decoder, int[] ctx, int n, int block) {
        if (decoder.position() < block || decoder.rolling()) {
            return decoder.next(ctx[n - 1]);
        }
        int len = Math.min(n, block);
        return decoder.fullPass(ctx, n - len, len);
    }

    /** A draw from softmax(logits / temperature). */
    private static int draw(float[] logits, double temperature, Rng rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] w = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            w[i] = Math.exp((logits[i] - max) / temperature);
        }
        return rng.nextWeighted(w);
    }
}
