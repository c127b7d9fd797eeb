package org.autoreg.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.word2vec.KeyedVectors;
import org.autoreg.word2vec.Word2Vec;
import org.autoreg.word2vec.Word2VecConfig;

/** 5. Word vectors: neighbours by three measures, analogies, a 2-D projection. */
final class Word2VecExample implements Example {
    static final List<String> PLOTTED = List.of("king", "queen", "duke", "lord", "lady", "prince", "father", "mother",
            "son", "daughter", "love", "hate", "death", "life", "night", "day", "sword", "blood", "heaven", "earth");

    @Override
    public String name() {
        return "word2vec";
    }

    @Override
    public String summary() {
        return "train word vectors; nearest words by dot product, cosine and scaled dot product (and when they agree); "
                + "analogies; a PCA projection";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        Word2VecConfig cfg = Word2VecConfig.defaults().withCbow(false).withSize(50).withWindow(5).withSample(1e-3)
                .withIter(ctx.scaled(10)).withMinCount(5).withThreads(1).withSeed(ctx.seed());
        List<List<String>> lines = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(ctx.corpus())) {
            lines.add(Words.of(line)); // lowercase words, punctuation split off
        }
        KeyedVectors kv = Word2Vec.train(cfg, lines, null);
        ctx.out().printf("skip-gram vectors: %,d words × %d dimensions%n%n", kv.size(), kv.dim());
        String w = kv.contains("king") ? "king" : kv.words().get(10);
        ctx.out().printf("nearest to '%s':%n%-22s %-22s %-22s%n", w, "dot product", "cosine", "scaled dot (÷√d)");
        List<List<KeyedVectors.Neighbor>> cols = new ArrayList<>();
        for (KeyedVectors.Measure m : KeyedVectors.Measure.values()) {
            cols.add(kv.mostSimilar(List.of(w), List.of(), 8, m));
        }
        for (int i = 0; i < 8; i++) {
            ctx.out().printf("%-22s %-22s %-22s%n", cell(cols.get(0).get(i)), cell(cols.get(1).get(i)),
                    cell(cols.get(2).get(i)));
        }
        KeyedVectors unit = kv.normalized();
        List<String> byDot = unit.mostSimilar(List.of(w), List.of(), 8, KeyedVectors.Measure.DOT).stream()
                .map(KeyedVectors.Neighbor::word).toList();
        List<String> byCos = unit.mostSimilar(List.of(w), List.of(), 8, KeyedVectors.Measure.COSINE).stream()
                .map(KeyedVectors.Neighbor::word).toList();
        ctx.out().printf("%nDot product favours long vectors (frequent words); cosine looks at the angle only; the "
                + "scaled dot product ranks like the dot product (÷√d is the same for all).%nNormalize every vector to "
                + "length 1 and dot product and cosine agree: %s%n", byDot.equals(byCos) ? "same ranking" : "differ");
        String[][] analogies = {{"man", "king", "woman"}, {"father", "son", "mother"}, {"day", "night", "life"}};
        ctx.out().println("\nanalogies (a : b :: c : ?), 3CosAdd / 3CosMul:");
        for (String[] a : analogies) {
            if (kv.contains(a[0]) && kv.contains(a[1]) && kv.contains(a[2])) {
                ctx.out().printf("  %s : %s :: %s : %s / %s%n", a[0], a[1], a[2],
                        kv.analogy(a[0], a[1], a[2], 1, KeyedVectors.AnalogyMethod.COS_ADD).get(0).word(),
                        kv.analogy(a[0], a[1], a[2], 1, KeyedVectors.AnalogyMethod.COS_MUL).get(0).word());
            }
        }
        List<String> shown = PLOTTED.stream().filter(kv::contains).toList();
        double[][] xy = pca2(kv, shown);
        var png = Pictures.scatter(ctx.dir().resolve("word2vec-pca.png"), "word vectors (unit length), first two principal components",
                shown, xy[0], xy[1]);
        ctx.out().println("\npicture: " + png + " (related words land near each other)");
        return new Result().put("agree_on_unit_vectors", byDot.equals(byCos)).put("words", kv.size()).picture(png);
    }

    private static String cell(KeyedVectors.Neighbor n) {
        return String.format("%-12s %7.3f", n.word(), n.score());
    }

    /** The words' coordinates on the first two principal components (power iteration on the covariance). */
    static double[][] pca2(KeyedVectors kv, List<String> words) {
        int n = words.size();
        int d = kv.dim();
        double[][] x = new double[n][d];
        double[] mean = new double[d];
        KeyedVectors unit = kv.normalized(); // the picture shows directions (what cosine compares)
        for (int i = 0; i < n; i++) {
            float[] v = unit.vector(words.get(i));
            for (int j = 0; j < d; j++) {
                x[i][j] = v[j];
                mean[j] += x[i][j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] -= mean[j];
            }
        }
        double[][] out = new double[2][n];
        double[] first = null;
        for (int c = 0; c < 2; c++) {
            double[] v = new double[d];
            java.util.Arrays.fill(v, 1.0 / Math.sqrt(d));
            v[c] += 0.5;
            for (int it = 0; it < 200; it++) {
                double[] next = new double[d];
                for (double[] row : x) {
                    double p = dot(row, v);
                    for (int j = 0; j < d; j++) {
                        next[j] += p * row[j];
                    }
                }
                if (first != null) { // deflate: remove the first component
                    double p = dot(next, first);
                    for (int j = 0; j < d; j++) {
                        next[j] -= p * first[j];
                    }
                }
                double norm = Math.sqrt(dot(next, next));
                for (int j = 0; j < d; j++) {
                    v[j] = next[j] / norm;
                }
            }
            for (int i = 0; i < n; i++) {
                out[c][i] = dot(x[i], v);
            }
            first = v;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
