package org.autoreg.word2vec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The standard intrinsic evaluations of word vectors: analogy questions (Mikolov et al.'s
 * {@code questions-words.txt}, scored as the C tool's {@code compute-accuracy} does) and
 * word-pair similarity (WordSim-353, SimLex-999: Spearman's ρ, as gensim's
 * {@code evaluate_word_pairs}).
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** One section of analogy questions: correct answers among the questions seen. */
    public record Section(String name, int correct, int seen, int total) {
        public double accuracy() {
            return seen == 0 ? 0 : (double) correct / seen;
        }
    }

    /**
     * Analogy accuracy. {@code semantic} sums the sections whose name does not start with
     * {@code gram} (the first five of questions-words), {@code syntactic} the others.
     */
    public record AnalogyReport(List<Section> sections, Section semantic, Section syntactic, Section total,
            int restrictVocab) {
        /** Questions whose four words were all in the (restricted) vocabulary, as a fraction of all. */
        public double seenFraction() {
            return total.total() == 0 ? 0 : (double) total.seen() / total.total();
        }
    }

    /** Word-pair similarity: Spearman's and Pearson's correlation with the human scores over the pairs found. */
    public record PairReport(double spearman, double pearson, int pairs, int outOfVocabulary) {
        public double oovRatio() {
            return pairs + outOfVocabulary == 0 ? 0 : (double) outOfVocabulary / (pairs + outOfVocabulary);
        }
    }

    /**
     * Scores {@code questions} ({@code : section} lines, then lines of four words "a b c d": a is
     * to b as c is to d) as word2vec's compute-accuracy: only the first {@code restrictVocab} words
     * (0 = all) are used, case is ignored (the most frequent spelling wins), a question with a
     * word outside them is skipped (not "seen"), and the answer is the word, other than a, b, c,
     * whose unit vector has the largest positive dot product with unit(b) − unit(a) + unit(c).
     */
    public static AnalogyReport analogies(KeyedVectors kv, Path questions, int restrictVocab) throws IOException {
        int n = restrictVocab <= 0 ? kv.size() : Math.min(restrictVocab, kv.size());
        Map<String, Integer> lower = kv.caseFoldedIndex(n);
        List<String> lines = Files.readAllLines(questions, StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        List<int[]> seenQuestions = new ArrayList<>(); // {a, b, c, d, section}
        List<Integer> totals = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith(":")) {
                names.add(t.substring(1).strip());
                totals.add(0);
                continue;
            }
            String[] w = t.split("\\s+");
            if (w.length != 4) {
                throw new IllegalArgumentException(questions + ":" + lineNo + ": expected four words, got '" + t + "'");
            }
            if (names.isEmpty()) {
                names.add("questions");
                totals.add(0);
            }
            int s = names.size() - 1;
            totals.set(s, totals.get(s) + 1);
            int[] q = new int[5];
            boolean all = true;
            for (int k = 0; k < 4 && all; k++) {
                Integer id = lower.get(w[k].toLowerCase(Locale.ROOT));
                all = id != null;
                q[k] = all ? id : -1;
            }
            if (all) {
                q[4] = s;
                seenQuestions.add(q);
            }
        }
        int[] correct = new int[names.size()];
        int[] seen = new int[names.size()];
        int[] answers = answer(kv, n, seenQuestions);
        for (int i = 0; i < seenQuestions.size(); i++) {
            int[] q = seenQuestions.get(i);
            seen[q[4]]++;
            if (answers[i] >= 0 && kv.words().get(answers[i]).toLowerCase(Locale.ROOT)
                    .equals(kv.words().get(q[3]).toLowerCase(Locale.ROOT))) {
                correct[q[4]]++;
            }
        }
        List<Section> sections = new ArrayList<>();
        int[] sem = new int[3];
        int[] syn = new int[3];
        for (int s = 0; s < names.size(); s++) {
            sections.add(new Section(names.get(s), correct[s], seen[s], totals.get(s)));
            int[] acc = names.get(s).startsWith("gram") ? syn : sem;
            acc[0] += correct[s];
            acc[1] += seen[s];
            acc[2] += totals.get(s);
        }
        return new AnalogyReport(sections, new Section("semantic", sem[0], sem[1], sem[2]),
                new Section("syntactic", syn[0], syn[1], syn[2]),
                new Section("total", sem[0] + syn[0], sem[1] + syn[1], sem[2] + syn[2]), n);
    }

    /** The best answer's row for each question (or -1 when no word scores above 0), in blocks through BLAS. */
    private static int[] answer(KeyedVectors kv, int n, List<int[]> questions) {
        int dim = kv.dim();
        float[] unit = kv.unitVectors();
        INDArray vocabT = Nd4j.create(Arrays.copyOf(unit, n * dim), new long[] {n, dim}, 'c').transpose().dup('c');
        int[] out = new int[questions.size()];
        int block = 256;
        for (int from = 0; from < questions.size(); from += block) {
            int to = Math.min(questions.size(), from + block);
            float[] q = new float[(to - from) * dim];
            for (int i = from; i < to; i++) {
                int[] x = questions.get(i);
                int o = (i - from) * dim;
                for (int d = 0; d < dim; d++) {
                    q[o + d] = unit[x[1] * dim + d] - unit[x[0] * dim + d] + unit[x[2] * dim + d];
                }
            }
            float[] scores = Nd4j.create(q, new long[] {to - from, dim}, 'c').mmul(vocabT).castTo(DataType.FLOAT)
                    .data().asFloat();
            for (int i = from; i < to; i++) {
                int[] x = questions.get(i);
                int o = (i - from) * n;
                int best = -1;
                float bestScore = 0;
                for (int w = 0; w < n; w++) {
                    if (scores[o + w] > bestScore && w != x[0] && w != x[1] && w != x[2]) {
                        bestScore = scores[o + w];
                        best = w;
                    }
                }
                out[i] = best;
            }
        }
        return out;
    }

    /**
     * Correlation of cosine similarity with human judgements in {@code pairs} (lines
     * {@code word1 word2 score}, tab- or space-separated; {@code #} comments). Case is ignored;
     * pairs with a word missing are counted as out of vocabulary and left out.
     */
    public static PairReport wordPairs(KeyedVectors kv, Path pairs) throws IOException {
        Map<String, Integer> lower = kv.caseFoldedIndex(kv.size());
        List<Double> human = new ArrayList<>();
        List<Double> model = new ArrayList<>();
        int oov = 0;
        int lineNo = 0;
        for (String line : Files.readAllLines(pairs, StandardCharsets.UTF_8)) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("[\\t ]+");
            if (f.length < 3) {
                throw new IllegalArgumentException(pairs + ":" + lineNo + ": expected 'word1 word2 score', got '" + t + "'");
            }
            double score;
            try {
                score = Double.parseDouble(f[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(pairs + ":" + lineNo + ": '" + f[2] + "' is not a number");
            }
            Integer a = lower.get(f[0].toLowerCase(Locale.ROOT));
            Integer b = lower.get(f[1].toLowerCase(Locale.ROOT));
            if (a == null || b == null) {
                oov++;
                continue;
            }
            human.add(score);
            model.add(kv.dot(kv.unitVectors(), a * kv.dim(), kv.unitVectors(), b * kv.dim()));
        }
        double[] h = human.stream().mapToDouble(Double::doubleValue).toArray();
        double[] m = model.stream().mapToDouble(Double::doubleValue).toArray();
        return new PairReport(pearson(ranks(h), ranks(m)), pearson(h, m), h.length, oov);
    }

    /** Ranks 1..n, ties sharing their mean rank. */
    static double[] ranks(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] r = new double[x.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        if (n < 2) {
            return Double.NaN;
        }
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
