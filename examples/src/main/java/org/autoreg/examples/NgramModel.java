package org.autoreg.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.autoreg.core.Rng;

/**
 * A word n-gram language model with interpolated absolute discounting: P(w | h) =
 * max(c(h w) − d, 0)/c(h) + d·N₁₊(h •)/c(h) · P(w | h shortened), down to an add-one unigram over
 * the vocabulary plus {@code <unk>}. Only the last n − 1 words of a context matter.
 */
final class NgramModel {
    static final String UNK = "<unk>";
    private static final double D = 0.75;

    final int n;
    final List<String> vocab;
    private final Map<String, Integer> unigram = new HashMap<>();
    private final long total;
    /** per order k (context length k = 1..n−1): context → (next word → count) */
    private final List<Map<String, Map<String, Integer>>> tables = new ArrayList<>();

    NgramModel(List<String> words, int n) {
        this.n = n;
        for (String w : words) {
            unigram.merge(w, 1, Integer::sum);
        }
        total = words.size();
        Set<String> v = new HashSet<>(unigram.keySet());
        v.add(UNK);
        vocab = new ArrayList<>(v);
        java.util.Collections.sort(vocab);
        for (int k = 1; k < n; k++) {
            Map<String, Map<String, Integer>> t = new HashMap<>();
            for (int i = k; i < words.size(); i++) {
                String h = String.join(" ", words.subList(i - k, i));
                t.computeIfAbsent(h, x -> new HashMap<>()).merge(words.get(i), 1, Integer::sum);
            }
            tables.add(t);
        }
    }

    /** P(word | the last n − 1 words of context). */
    double probability(List<String> context, String word) {
        return p(context, word, Math.min(n - 1, context.size()));
    }

    private double p(List<String> context, String word, int k) {
        if (k == 0) {
            return (unigram.getOrDefault(word, 0) + 1.0) / (total + vocab.size());
        }
        Map<String, Integer> next = tables.get(k - 1).get(String.join(" ", context.subList(context.size() - k,
                context.size())));
        double lower = p(context, word, k - 1);
        if (next == null) {
            return lower;
        }
        int ch = 0;
        for (int c : next.values()) {
            ch += c;
        }
        double discounted = Math.max(next.getOrDefault(word, 0) - D, 0) / ch;
        return discounted + D * next.size() / ch * lower;
    }

    /** Perplexity exp(−mean log P(w_i | w_{i−n+1..i−1})) over {@code words} (unknown words count as {@code <unk>}). */
    double perplexity(List<String> words) {
        double nll = 0;
        int count = 0;
        for (int i = 1; i < words.size(); i++) {
            String w = unigram.containsKey(words.get(i)) ? words.get(i) : UNK;
            nll -= Math.log(probability(words.subList(Math.max(0, i - n + 1), i), w));
            count++;
        }
        return Math.exp(nll / count);
    }

    /** The full next-word distribution after {@code context}, in vocabulary order. */
    double[] distribution(List<String> context) {
        double[] d = new double[vocab.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = probability(context, vocab.get(i));
        }
        return d;
    }

    /** {@code count} words sampled after {@code start}. */
    List<String> sample(List<String> start, int count, Rng rng) {
        List<String> out = new ArrayList<>(start);
        for (int i = 0; i < count; i++) {
            double[] d = distribution(out.subList(Math.max(0, out.size() - n + 1), out.size()));
            out.add(vocab.get(rng.nextWeighted(d)));
        }
        return out.subList(start.size(), out.size());
    }
}
