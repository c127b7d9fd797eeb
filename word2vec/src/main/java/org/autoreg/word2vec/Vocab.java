package org.autoreg.word2vec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training vocabulary, as word2vec.c builds it: {@code </s>} (one per sentence) first, then
 * every word seen at least minCount times, most frequent first, words of equal count in the
 * order they first appear in the corpus (the C tool's stable sort of its vocabulary, which it
 * fills in that order). The order matters for hierarchical softmax: the Huffman tree makes
 * neighbours of this list siblings, so words that first appear together (one book, one topic)
 * share their paths. Ordered alphabetically instead, skip-gram with hierarchical softmax scored
 * 17.8 % on analogies against 18.9 % (BENCHMARKS.md, word2vec, "Seeds").
 */
final class Vocab {
    static final String EOS = "</s>";

    final List<String> words;
    final long[] counts;
    final Map<String, Integer> index;
    /** Sum of all counts: the words of one pass, as the C tool's train_words. */
    final long trainWords;

    private Vocab(List<String> words, long[] counts) {
        this.words = List.copyOf(words);
        this.counts = counts;
        this.index = new HashMap<>(words.size() * 2);
        long total = 0;
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
            total += counts[i];
        }
        this.trainWords = total;
    }

    /** Counts the words of every sentence in one pass; a clear error if nothing is left to train. */
    static Vocab build(Iterable<List<String>> sentences, int minCount) {
        Map<String, long[]> counts = new LinkedHashMap<>();   // first appearance order
        long sentencesSeen = 0;
        long tokens = 0;
        for (List<String> s : sentences) {
            sentencesSeen++;
            for (String w : s) {
                counts.computeIfAbsent(w, k -> new long[1])[0]++;
                tokens++;
            }
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("the corpus has no words (" + sentencesSeen + " empty lines); give a "
                    + "text file with words separated by spaces");
        }
        counts.remove(EOS);
        List<Map.Entry<String, long[]>> kept = new ArrayList<>();
        Map.Entry<String, long[]> top = null;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            if (top == null || e.getValue()[0] > top.getValue()[0]) {
                top = e;
            }
            if (e.getValue()[0] >= minCount) {
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no word occurs min-count = " + minCount + " times (the most frequent, '"
                    + top.getKey() + "', occurs " + top.getValue()[0] + " times in " + tokens + " words); lower "
                    + "--min-count or use a larger corpus");
        }
        kept.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));   // stable: ties keep first appearance
        List<String> words = new ArrayList<>(kept.size() + 1);
        long[] c = new long[kept.size() + 1];
        words.add(EOS);
        c[0] = sentencesSeen;
        for (int i = 0; i < kept.size(); i++) {
            words.add(kept.get(i).getKey());
            c[i + 1] = kept.get(i).getValue()[0];
        }
        return new Vocab(words, c);
    }

    int size() {
        return words.size();
    }
}
