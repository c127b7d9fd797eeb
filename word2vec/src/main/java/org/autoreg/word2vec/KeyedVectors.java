package org.autoreg.word2vec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.autoreg.core.io.Word2VecFormat;

/**
 * Word vectors and the queries one asks of them, in the manner of gensim's {@code KeyedVectors}:
 * {@link #vector}, {@link #similarity}, {@link #mostSimilar}, {@link #analogy}, {@link #doesntMatch},
 * plus evaluation on analogy questions and word-pair similarity sets, and the word2vec C text and
 * binary formats. Words are kept in file order (most frequent first, for trained vectors).
 *
 * <p>Three similarity measures, as in the notes: the <b>dot product</b> u·v (grows with the
 * vectors' lengths, so frequent words, whose vectors are longer, score high), the <b>cosine</b>
 * u·v / (|u||v|) (the angle only), and the <b>scaled dot product</b> u·v / √d (attention's
 * measure: the dot product kept at unit variance as the dimension d grows). On unit-length vectors
 * dot product and cosine agree. Immutable and thread-safe.
 */
public final class KeyedVectors {
    private final List<String> words;
    private final Map<String, Integer> index;
    private final int dim;
    private final float[] vectors;  // [n][dim]
    private final float[] unit;     // [n][dim], each row of length 1 (zero rows stay zero)
    private final long[] counts;    // may be null

    /** How to compare two vectors. */
    public enum Measure {
        DOT, COSINE, SCALED_DOT;

        /** Parses {@code dot}, {@code cosine} or {@code scaled-dot}. */
        public static Measure parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
                case "dot" -> DOT;
                case "cosine", "cos" -> COSINE;
                case "scaled-dot", "scaled" -> SCALED_DOT;
                default -> throw new IllegalArgumentException("unknown measure '" + s + "'; use dot, cosine or scaled-dot");
            };
        }
    }

    /** How {@link #analogy} combines the three words. */
    public enum AnalogyMethod {
        /** argmax cos(x, b) − cos(x, a) + cos(x, c) (Mikolov et al.; gensim's most_similar). */
        COS_ADD,
        /** argmax cos'(x, b)·cos'(x, c) / (cos'(x, a) + 0.001), cos' = (1 + cos)/2 (Levy & Goldberg). */
        COS_MUL
    }

    /** A word and its score. */
    public record Neighbor(String word, double score) {
    }

    /**
     * Vectors for {@code words} (rows of {@code dim} floats in {@code vectors}, copied);
     * {@code counts} may be null.
     */
    public KeyedVectors(List<String> words, int dim, float[] vectors, long[] counts) {
        if (dim < 1 || vectors.length != (long) words.size() * dim) {
            throw new IllegalArgumentException(words.size() + " words × " + dim + " dims do not match " + vectors.length
                    + " values");
        }
        this.words = List.copyOf(words);
        this.dim = dim;
        this.vectors = vectors.clone();
        this.counts = counts == null ? null : counts.clone();
        this.index = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            if (index.putIfAbsent(words.get(i), i) != null) {
                throw new IllegalArgumentException("the word '" + words.get(i) + "' appears twice (rows "
                        + index.get(words.get(i)) + " and " + i + ")");
            }
        }
        this.unit = new float[vectors.length];
        for (int w = 0; w < words.size(); w++) {
            double n = 0;
            for (int d = 0; d < dim; d++) {
                n += (double) vectors[w * dim + d] * vectors[w * dim + d];
            }
            float inv = n > 0 ? (float) (1 / Math.sqrt(n)) : 0f;
            for (int d = 0; d < dim; d++) {
                unit[w * dim + d] = vectors[w * dim + d] * inv;
            }
        }
    }

    // ------------------------------------------------------------------ files

    /** Reads a word2vec C text or binary file (detected). */
    public static KeyedVectors load(Path file) throws IOException {
        Word2VecFormat.Vectors v = Word2VecFormat.read(file);
        return new KeyedVectors(v.words(), v.dim(), v.data(), null);
    }

    /**
     * The same words with every vector scaled to length 1 (gensim's normed vectors): on these, dot
     * product and cosine are the same measure.
     */
    public KeyedVectors normalized() {
        return new KeyedVectors(words, dim, unit, counts);
    }

    /** Writes the word2vec C binary ({@code binary}) or text format, atomically. */
    public void save(Path file, boolean binary) throws IOException {
        Word2VecFormat.write(file, new Word2VecFormat.Vectors(words, dim, vectors), binary);
    }

    // ------------------------------------------------------------------ lookups

    public int size() {
        return words.size();
    }

    public int dim() {
        return dim;
    }

    /** The words, in order. */
    public List<String> words() {
        return words;
    }

    public boolean contains(String word) {
        return index.containsKey(word);
    }

    /** The row of {@code word}; an error naming the word (and close spellings) if it has none. */
    public int indexOf(String word) {
        Integer i = index.get(word);
        if (i == null) {
            String lower = word.toLowerCase(java.util.Locale.ROOT);
            throw new IllegalArgumentException("'" + word + "' is not in the vocabulary (" + words.size() + " words)"
                    + (!lower.equals(word) && index.containsKey(lower) ? "; '" + lower + "' is" : ""));
        }
        return i;
    }

    /** A copy of {@code word}'s vector. */
    public float[] vector(String word) {
        int i = indexOf(word);
        return Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim);
    }

    /** How often {@code word} was seen in training, or -1 when unknown (vectors read from a file). */
    public long count(String word) {
        return counts == null ? -1 : counts[indexOf(word)];
    }

    /** Cosine similarity. */
    public double similarity(String a, String b) {
        return similarity(a, b, Measure.COSINE);
    }

    /** Similarity of two words by {@code measure}. */
    public double similarity(String a, String b, Measure measure) {
        int i = indexOf(a);
        int j = indexOf(b);
        return switch (measure) {
            case DOT -> dot(vectors, i * dim, vectors, j * dim);
            case COSINE -> dot(unit, i * dim, unit, j * dim);
            case SCALED_DOT -> dot(vectors, i * dim, vectors, j * dim) / Math.sqrt(dim);
        };
    }

    // ------------------------------------------------------------------ neighbours

    /** The {@code topn} words most similar to {@code word} by cosine. */
    public List<Neighbor> mostSimilar(String word, int topn) {
        return mostSimilar(List.of(word), List.of(), topn, Measure.COSINE);
    }

    /**
     * gensim's {@code most_similar}: the mean of the positive words' vectors minus the negative
     * ones' (unit vectors for cosine, raw vectors for dot and scaled dot), compared with every word
     * by {@code measure}; the query words themselves are left out.
     */
    public List<Neighbor> mostSimilar(List<String> positive, List<String> negative, int topn, Measure measure) {
        if (positive.isEmpty() && negative.isEmpty()) {
            throw new IllegalArgumentException("mostSimilar needs at least one word");
        }
        float[] source = measure == Measure.COSINE ? unit : vectors;
        float[] q = new float[dim];
        Set<Integer> exclude = new HashSet<>();
        for (String w : positive) {
            addRow(q, source, indexOf(w), 1f);
            exclude.add(indexOf(w));
        }
        for (String w : negative) {
            addRow(q, source, indexOf(w), -1f);
            exclude.add(indexOf(w));
        }
        float scale = 1f / (positive.size() + negative.size());
        for (int d = 0; d < dim; d++) {
            q[d] *= scale;
        }
        double qScale = 1;
        if (measure == Measure.COSINE) {
            double n = Math.sqrt(dot(q, 0, q, 0));
            qScale = n > 0 ? 1 / n : 0;
        } else if (measure == Measure.SCALED_DOT) {
            qScale = 1 / Math.sqrt(dim);
        }
        double[] scores = new double[words.size()];
        for (int w = 0; w < words.size(); w++) {
            scores[w] = exclude.contains(w) ? Double.NEGATIVE_INFINITY : dot(q, 0, source, w * dim) * qScale;
        }
        return top(scores, topn);
    }

    /**
     * "a is to b as c is to ?" — the {@code topn} answers, without a, b and c. COS_ADD is
     * {@code mostSimilar([b, c], [a])}; COS_MUL is gensim's {@code most_similar_cosmul}.
     */
    public List<Neighbor> analogy(String a, String b, String c, int topn, AnalogyMethod method) {
        if (method == AnalogyMethod.COS_ADD) {
            return mostSimilar(List.of(b, c), List.of(a), topn, Measure.COSINE);
        }
        int ia = indexOf(a);
        int ib = indexOf(b);
        int ic = indexOf(c);
        double[] scores = new double[words.size()];
        for (int w = 0; w < words.size(); w++) {
            if (w == ia || w == ib || w == ic) {
                scores[w] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double pa = (1 + dot(unit, w * dim, unit, ia * dim)) / 2;
            double pb = (1 + dot(unit, w * dim, unit, ib * dim)) / 2;
            double pc = (1 + dot(unit, w * dim, unit, ic * dim)) / 2;
            scores[w] = pb * pc / (pa + 0.001);
        }
        return top(scores, topn);
    }

    /** gensim's {@code doesnt_match}: the word furthest (by cosine) from the mean of all the words' unit vectors. */
    public String doesntMatch(Collection<String> group) {
        if (group.size() < 2) {
            throw new IllegalArgumentException("doesntMatch needs at least two words, got " + group);
        }
        float[] mean = new float[dim];
        for (String w : group) {
            addRow(mean, unit, indexOf(w), 1f / group.size());
        }
        String worst = null;
        double worstScore = Double.POSITIVE_INFINITY;
        for (String w : group) {
            double s = dot(mean, 0, unit, indexOf(w) * dim);
            if (s < worstScore) {
                worstScore = s;
                worst = w;
            }
        }
        return worst;
    }

    // ------------------------------------------------------------------ embedding init

    /**
     * The rows for a tokenizer's vocabulary (to initialise a model's token embeddings): row
     * {@code i} is the vector of {@code vocab.get(i)} (exact match, else ignoring case), or
     * null when the word has none.
     */
    public float[][] alignTo(List<String> vocab) {
        return new Word2VecFormat.Vectors(words, dim, vectors).alignTo(vocab);
    }

    // ------------------------------------------------------------------ evaluation

    /** Accuracy on analogy questions, per section (see {@link Evaluation#analogies}). */
    public Evaluation.AnalogyReport evaluateAnalogies(Path questions, int restrictVocab) throws IOException {
        return Evaluation.analogies(this, questions, restrictVocab);
    }

    /** Spearman correlation with human similarity judgements (see {@link Evaluation#wordPairs}). */
    public Evaluation.PairReport evaluateWordPairs(Path pairs) throws IOException {
        return Evaluation.wordPairs(this, pairs);
    }

    // ------------------------------------------------------------------ internals

    float[] unitVectors() {
        return unit;
    }

    /**
     * Row of each lowercased word among the first {@code n} rows, the first (most frequent)
     * spelling winning: how the evaluations ignore case.
     */
    Map<String, Integer> caseFoldedIndex(int n) {
        Map<String, Integer> lower = new HashMap<>();
        for (int i = 0; i < n; i++) {
            lower.putIfAbsent(words.get(i).toLowerCase(java.util.Locale.ROOT), i);
        }
        return lower;
    }

    private void addRow(float[] acc, float[] source, int row, float weight) {
        for (int d = 0; d < dim; d++) {
            acc[d] += weight * source[row * dim + d];
        }
    }

    double dot(float[] a, int ao, float[] b, int bo) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            s += a[ao + d] * b[bo + d];
        }
        return s;
    }

    private List<Neighbor> top(double[] scores, int topn) {
        if (topn < 1) {
            throw new IllegalArgumentException("topn must be at least 1, got " + topn);
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(scores[y], scores[x]));
        List<Neighbor> out = new ArrayList<>();
        for (int r = 0; r < order.length && out.size() < topn; r++) {
            if (scores[order[r]] != Double.NEGATIVE_INFINITY) {
                out.add(new Neighbor(words.get(order[r]), scores[order[r]]));
            }
        }
        return out;
    }
}
