package org.autoreg.generate;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.autoreg.core.Rng;

/**
 * The steps between the model's logits and the next token, in Hugging Face's order: first the
 * processors that apply to every decoding mode (repetition penalty, no-repeat-n-gram, the
 * min-new-tokens EOS ban), then — only when sampling — the warpers (temperature, top-k, top-p,
 * min-p), then the choice (argmax or a draw from the softmax). Each edits {@code scores} in place;
 * a removed token gets −∞. Semantics follow transformers' {@code LogitsProcessor} classes.
 */
final class LogitsProcessors {
    private LogitsProcessors() {
    }

    /**
     * Hugging Face's {@code RepetitionPenaltyLogitsProcessor}: every token already in {@code ids}
     * (prompt included) has its score divided by {@code penalty} if positive, multiplied if negative.
     */
    static void repetitionPenalty(float[] scores, int[] ids, int n, double penalty) {
        if (penalty == 1.0) {
            return;
        }
        boolean[] seen = new boolean[scores.length];
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            if (id < scores.length && !seen[id]) {
                seen[id] = true;
                float s = scores[id];
                scores[id] = (float) (s < 0 ? s * penalty : s / penalty);
            }
        }
    }

    /**
     * Hugging Face's {@code NoRepeatNGramLogitsProcessor}: bans every token that would complete an
     * n-gram already present in {@code ids[0, n)}.
     */
    static void noRepeatNgram(float[] scores, int[] ids, int n, int size) {
        if (size <= 0 || n + 1 < size) {
            return;
        }
        int prefix = size - 1;
        Set<Integer> banned = new HashSet<>();
        for (int start = 0; start + size <= n; start++) {
            boolean match = true;
            for (int j = 0; j < prefix && match; j++) {
                match = ids[start + j] == ids[n - prefix + j];
            }
            if (match) {
                banned.add(ids[start + prefix]);
            }
        }
        for (int id : banned) {
            if (id < scores.length) {
                scores[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Hugging Face's {@code MinNewTokensLengthLogitsProcessor}: no EOS before minNewTokens new tokens. */
    static void minNewTokens(float[] scores, int generated, int minNewTokens, int[] eos) {
        if (generated < minNewTokens) {
            for (int id : eos) {
                if (id < scores.length) {
                    scores[id] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /** Hugging Face's {@code TemperatureLogitsWarper}: scores / temperature. */
    static void temperature(float[] scores, double temperature) {
        if (temperature == 1.0) {
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) (scores[i] / temperature);
        }
    }

    /** Hugging Face's {@code TopKLogitsWarper}: removes tokens scoring below the k-th best (ties kept). */
    static void topK(float[] scores, int k) {
        if (k <= 0 || k >= scores.length) {
            return;
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        float kth = sorted[sorted.length - k];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < kth) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * Hugging Face's {@code TopPLogitsWarper}: sorted by score ascending, removes the tokens whose
     * cumulative probability is ≤ 1 − p; the most likely token always stays.
     */
    static void topP(float[] scores, double p) {
        if (p >= 1.0) {
            return;
        }
        Integer[] order = ascending(scores);
        double[] probs = softmax(scores);
        double cum = 0;
        for (int r = 0; r < order.length - 1; r++) {
            cum += probs[order[r]];
            if (cum <= 1 - p) {
                scores[order[r]] = Float.NEGATIVE_INFINITY;
            } else {
                break;
            }
        }
    }

    /** Hugging Face's {@code MinPLogitsWarper}: removes tokens with probability below minP × the top probability. */
    static void minP(float[] scores, double minP) {
        if (minP <= 0) {
            return;
        }
        double[] probs = softmax(scores);
        double top = 0;
        for (double q : probs) {
            top = Math.max(top, q);
        }
        double threshold = minP * top;
        for (int i = 0; i < scores.length; i++) {
            if (probs[i] < threshold) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The index of the highest score; the first one on ties (as torch.argmax). */
    static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A draw from softmax(scores), with one uniform number from {@code rng}. */
    static int sample(float[] scores, Rng rng) {
        return rng.nextWeighted(softmax(scores));
    }

    /** softmax in double precision; −∞ scores get probability 0. */
    static double[] softmax(float[] scores) {
        float max = Float.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token was removed; nothing can be generated");
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            p[i] = scores[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static Integer[] ascending(float[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        return order;
    }
}
