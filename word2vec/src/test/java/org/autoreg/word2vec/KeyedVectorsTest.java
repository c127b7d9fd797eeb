package org.autoreg.word2vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.autoreg.core.io.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries, evaluation counts and the C file formats on vectors made by hand. */
class KeyedVectorsTest {
    @TempDir
    Path tmp;

    /**
     * Royalty and gender axes (king − man + woman points at queen); "apple" on its own axis; "big"
     * long and mostly off that axis, "small" and "tiny" short, parallel, and closer to it in angle.
     */
    static KeyedVectors family() {
        List<String> words = List.of("man", "woman", "king", "queen", "apple", "big", "small", "tiny");
        float[] v = {
            1, 0, 0, 0, 0,
            1, 1, 0, 0, 0,
            1, 0, 1, 0, 0,
            1, 1, 1, 0, 0,
            0, 0, 0, 1, 0,
            0, 0, 0, 0.3f, 3,
            0, 0, 0, 0.2f, 0.5f,
            0, 0, 0, 0.02f, 0.05f};
        return new KeyedVectors(words, 5, v, null);
    }

    @Test
    void threeMeasuresAndWhenTheyAgree() {
        KeyedVectors kv = family();
        // "small" and "tiny" point the same way: cosine 1, but the dot product grows with length
        assertEquals(1.0, kv.similarity("small", "tiny"), 1e-6);
        assertEquals(0.2 * 0.02 + 0.5 * 0.05, kv.similarity("small", "tiny", KeyedVectors.Measure.DOT), 1e-6);
        assertEquals(kv.similarity("small", "tiny", KeyedVectors.Measure.DOT) / Math.sqrt(5),
                kv.similarity("small", "tiny", KeyedVectors.Measure.SCALED_DOT), 1e-9, "÷ √d");
        // nearest to "apple": by dot product the long vector wins, by cosine the angle does
        assertEquals("big", kv.mostSimilar(List.of("apple"), List.of(), 1, KeyedVectors.Measure.DOT).get(0).word());
        assertEquals("big", kv.mostSimilar(List.of("apple"), List.of(), 1, KeyedVectors.Measure.SCALED_DOT).get(0).word());
        String byAngle = kv.mostSimilar(List.of("apple"), List.of(), 1, KeyedVectors.Measure.COSINE).get(0).word();
        assertTrue(byAngle.equals("small") || byAngle.equals("tiny"), byAngle);
        // on unit-length vectors the rankings agree
        KeyedVectors unit = kv.normalized();
        for (String w : List.of("queen", "man")) {
            assertEquals(unit.mostSimilar(List.of(w), List.of(), 4, KeyedVectors.Measure.COSINE).stream()
                    .map(KeyedVectors.Neighbor::word).toList(), unit.mostSimilar(List.of(w), List.of(), 4,
                    KeyedVectors.Measure.DOT).stream().map(KeyedVectors.Neighbor::word).toList(), w);
        }
    }

    @Test
    void analogiesByAdditionAndMultiplication() {
        KeyedVectors kv = family();
        assertEquals("queen", kv.analogy("man", "king", "woman", 1, KeyedVectors.AnalogyMethod.COS_ADD).get(0).word());
        assertEquals("queen", kv.analogy("man", "king", "woman", 1, KeyedVectors.AnalogyMethod.COS_MUL).get(0).word());
        assertEquals("apple", kv.doesntMatch(List.of("man", "woman", "king", "apple")));
        String err = assertThrows(IllegalArgumentException.class, () -> kv.mostSimilar("prince", 3)).getMessage();
        assertTrue(err.contains("'prince' is not in the vocabulary"), err);
        String hint = assertThrows(IllegalArgumentException.class, () -> kv.vector("King")).getMessage();
        assertTrue(hint.contains("'king' is"), hint);
    }

    @Test
    void analogyEvaluationCountsSeenAndCorrectPerSection() throws IOException {
        Path q = tmp.resolve("q.txt");
        Files.writeString(q, """
                : family
                Man Woman King Queen
                man woman king prince
                : gram-size
                man king woman apple
                king queen man woman
                """);
        Evaluation.AnalogyReport r = family().evaluateAnalogies(q, 0);
        assertEquals(2, r.sections().size());
        Evaluation.Section fam = r.sections().get(0);
        assertEquals(1, fam.correct());
        assertEquals(1, fam.seen(), "the question with 'prince' is not seen");
        assertEquals(2, fam.total());
        Evaluation.Section gram = r.sections().get(1);
        assertEquals(2, gram.seen());
        assertEquals(1, gram.correct(), "apple is wrong, woman is right");
        assertEquals(2, r.total().correct());
        assertEquals(3, r.total().seen());
        assertEquals(0.75, r.seenFraction(), 1e-12);
        assertEquals(1, r.semantic().correct());
        assertEquals(1, r.syntactic().correct());
        Evaluation.AnalogyReport restricted = family().evaluateAnalogies(q, 3);
        assertEquals(0, restricted.total().seen(), "queen is word 4: outside the 3 most frequent");
    }

    @Test
    void wordPairSpearmanWithTiesAndOutOfVocabulary() throws IOException {
        Path p = tmp.resolve("pairs.tsv");
        Files.writeString(p, """
                # Word 1	Word 2	Human
                man	woman	6
                king	queen	6
                man	apple	1
                big	small	9
                unicorn	man	5
                """);
        Evaluation.PairReport r = family().evaluateWordPairs(p);
        assertEquals(4, r.pairs());
        assertEquals(1, r.outOfVocabulary());
        double[] human = {6, 6, 1, 9};
        KeyedVectors kv = family();
        double[] model = {kv.similarity("man", "woman"), kv.similarity("king", "queen"), kv.similarity("man", "apple"),
            kv.similarity("big", "small")};
        assertEquals(Evaluation.pearson(Evaluation.ranks(human), Evaluation.ranks(model)), r.spearman(), 1e-12);
        assertArrayEquals(new double[] {2.5, 2.5, 1, 4}, Evaluation.ranks(human), "ties share the mean rank");
        assertEquals(1.0, Evaluation.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}), 1e-12);
    }

    @Test
    void cTextAndBinaryFilesRoundTripBitForBit() throws IOException {
        Random r = new Random(5);
        List<String> words = List.of("</s>", "the", "naïve", "日本", "x_y-z");
        float[] v = new float[words.size() * 7];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        v[0] = -0.0f;
        v[1] = Float.MIN_VALUE;
        v[2] = 3.4e38f;
        v[3] = 1e-30f;
        KeyedVectors kv = new KeyedVectors(words, 7, v, null);
        for (boolean binary : new boolean[] {true, false}) {
            Path f = tmp.resolve(binary ? "v.bin" : "v.txt");
            kv.save(f, binary);
            KeyedVectors back = KeyedVectors.load(f);
            assertEquals(words, back.words());
            for (String w : words) {
                float[] a = kv.vector(w);
                float[] b = back.vector(w);
                for (int d = 0; d < a.length; d++) {
                    assertEquals(Float.floatToRawIntBits(a[d]), Float.floatToRawIntBits(b[d]), w + "[" + d + "]");
                }
            }
            Path again = tmp.resolve("again-" + f.getFileName());
            back.save(again, binary);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again), "write → read → write is byte-identical");
        }
    }

    @Test
    void readsTheCToolsTextLayout() throws IOException {
        Path f = tmp.resolve("c.txt");
        Files.writeString(f, "2 3\n</s> 0.004043 -0.001234 0.000000 \nking 0.500000 -1.250000 2.000000 \n",
                StandardCharsets.UTF_8);
        KeyedVectors kv = KeyedVectors.load(f);
        assertArrayEquals(new float[] {0.5f, -1.25f, 2f}, kv.vector("king"));
    }

    @Test
    void corruptFilesAreClearErrors() throws IOException {
        KeyedVectors kv = family();
        Path bin = tmp.resolve("v.bin");
        kv.save(bin, true);
        byte[] all = Files.readAllBytes(bin);
        Path cut = tmp.resolve("cut.bin");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 9));
        assertTrue(message(cut).contains("the file is truncated"), message(cut));
        Path header = tmp.resolve("header.txt");
        Files.writeString(header, "hello world\n");
        assertTrue(message(header).contains("not a word2vec vectors file"), message(header));
        Path nan = tmp.resolve("bad.txt");
        Files.writeString(nan, "1 2\nword 0.5 abc\n");
        assertTrue(message(nan).contains("'abc', not a number") || message(nan).contains("word 1 of 1"), message(nan));
        Path more = tmp.resolve("more.txt");
        Files.writeString(more, "1 2\nword 0.5 1.5\nextra 1 2\n");
        assertTrue(message(more).contains("more than the 1 words"), message(more));
    }

    private static String message(Path f) {
        return assertThrows(CorruptFileException.class, () -> KeyedVectors.load(f)).getMessage();
    }

    @Test
    void alignsToATokenizerVocabulary() {
        float[][] rows = family().alignTo(List.of("King", "queen", "<unk>"));
        assertArrayEquals(new float[] {1, 0, 1, 0, 0}, rows[0], "by lowercase form");
        assertArrayEquals(new float[] {1, 1, 1, 0, 0}, rows[1]);
        assertNull(rows[2]);
    }
}
