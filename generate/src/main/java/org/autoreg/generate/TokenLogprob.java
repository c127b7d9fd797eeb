package org.autoreg.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The log-probability of one generated token under the model's own distribution — the softmax of
 * its raw logits, before repetition penalty, temperature, top-k/top-p or any other processing — and
 * the most likely alternatives at that position (OpenAI's {@code logprobs} / {@code top_logprobs}).
 * Raw, so that a logprob measures the model and not the sampling settings: the same text scores
 * the same whatever temperature produced it (vLLM's default, Hugging Face's {@code output_logits}).
 *
 * @param token   the token id
 * @param logprob ln p(token | everything before it)
 * @param top     the most likely tokens at that position, most likely first (empty when not asked;
 *                their own {@code top} is empty)
 */
public record TokenLogprob(int token, double logprob, List<TokenLogprob> top) {
    /** The most alternatives a request may ask for (OpenAI's limit of top_logprobs). */
    public static final int MAX_TOP = 20;

    public TokenLogprob {
        top = List.copyOf(top);
    }

    /** The entry of {@code chosen} among raw {@code logits}, with the {@code k} most likely tokens. */
    static TokenLogprob of(float[] logits, int chosen, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double lse = max + Math.log(sum);                                  // log Σ exp(logits)
        List<TokenLogprob> top = new ArrayList<>(k);
        boolean[] taken = new boolean[logits.length];
        for (int i = 0; i < Math.min(k, logits.length); i++) {
            int best = -1;
            for (int v = 0; v < logits.length; v++) {
                if (!taken[v] && (best < 0 || logits[v] > logits[best])) {
                    best = v;
                }
            }
            taken[best] = true;
            top.add(new TokenLogprob(best, logits[best] - lse, List.of()));
        }
        return new TokenLogprob(chosen, logits[chosen] - lse, top);
    }
}
