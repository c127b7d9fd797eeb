package org.autoreg.word2vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training: planted structure is learned, one thread is deterministic, bad corpora are refused. */
class Word2VecTest {
    static final List<String> ANIMALS = List.of("cat", "dog", "horse", "cow", "sheep", "goat");
    static final List<String> TOOLS = List.of("hammer", "saw", "drill", "wrench", "chisel", "pliers");

    /** Sentences of words from one cluster only: co-occurrence is within clusters. */
    static List<List<String>> plantedCorpus(long seed) {
        Random r = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        for (int s = 0; s < 3000; s++) {
            List<String> cluster = s % 2 == 0 ? ANIMALS : TOOLS;
            List<String> sentence = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sentence.add(cluster.get(r.nextInt(cluster.size())));
            }
            out.add(sentence);
        }
        return out;
    }

    static Word2VecConfig small(boolean cbow) {
        return new Word2VecConfig(cbow, 16, 3, 5, false, 0, 3, 1, 1, null, 7, 1000);
    }

    static double meanCosine(KeyedVectors kv, List<String> a, List<String> b) {
        double sum = 0;
        int n = 0;
        for (String x : a) {
            for (String y : b) {
                if (!x.equals(y)) {
                    sum += kv.similarity(x, y);
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void skipGramAndCbowSeparateTwoPlantedClusters() {
        for (boolean cbow : new boolean[] {false, true}) {
            KeyedVectors kv = Word2Vec.train(small(cbow), plantedCorpus(1), null);
            double within = (meanCosine(kv, ANIMALS, ANIMALS) + meanCosine(kv, TOOLS, TOOLS)) / 2;
            double across = meanCosine(kv, ANIMALS, TOOLS);
            assertTrue(within > across + 0.5, (cbow ? "CBOW" : "skip-gram") + ": within " + within + ", across " + across);
            for (String w : ANIMALS) {
                List<KeyedVectors.Neighbor> near = kv.mostSimilar(w, 3);
                for (KeyedVectors.Neighbor n : near) {
                    assertTrue(ANIMALS.contains(n.word()), w + " → " + near);
                }
            }
            assertEquals("hammer", kv.doesntMatch(List.of("cat", "dog", "hammer", "cow")));
        }
    }

    @Test
    void hierarchicalSoftmaxAloneAndWithNegativeSamplingSeparatesThePlantedClusters() {
        for (boolean cbow : new boolean[] {false, true}) {
            for (int negative : new int[] {0, 5}) {
                Word2VecConfig cfg = small(cbow).withHs(true).withNegative(negative);
                KeyedVectors kv = Word2Vec.train(cfg, plantedCorpus(1), null);
                String what = (cbow ? "CBOW" : "skip-gram") + " hs, negative " + negative;
                double within = (meanCosine(kv, ANIMALS, ANIMALS) + meanCosine(kv, TOOLS, TOOLS)) / 2;
                double across = meanCosine(kv, ANIMALS, TOOLS);
                assertTrue(within > across + 0.5, what + ": within " + within + ", across " + across);
                assertEquals("hammer", kv.doesntMatch(List.of("cat", "dog", "hammer", "cow")), what);
                KeyedVectors again = Word2Vec.train(cfg, plantedCorpus(1), null);
                for (String w : kv.words()) {
                    assertArrayEquals(kv.vector(w), again.vector(w), what + ": one thread is deterministic");
                }
            }
        }
        String err = assertThrows(IllegalArgumentException.class, () -> small(false).withNegative(0)).getMessage();
        assertTrue(err.contains("negative = 0 without hierarchical softmax") && err.contains("hs = 1"), err);
        assertThrows(IllegalArgumentException.class, () -> small(false).withNegative(-1));
    }

    /** The tree word2vec.c builds: a Huffman code (shorter for frequent words), every path from the root. */
    @Test
    void theHuffmanTreeIsTheCTools() {
        long[] counts = {3, 10, 6, 5, 2, 1};                     // </s> first, then most frequent first
        HuffmanTree t = new HuffmanTree(counts);
        java.util.Set<String> codes = new java.util.HashSet<>();
        for (int w = 0; w < counts.length; w++) {
            assertEquals(counts.length - 2, t.points[w][0], "every path starts at the root");
            StringBuilder c = new StringBuilder();
            for (byte b : t.codes[w]) {
                c.append(b);
            }
            for (int p : t.points[w]) {
                assertTrue(p >= 0 && p < counts.length - 1, "inner nodes are rows 0..V-2");
            }
            codes.add(c.toString());
        }
        assertEquals(counts.length, codes.size(), "codes are distinct");
        for (String a : codes) {
            for (String b : codes) {
                assertTrue(a.equals(b) || !b.startsWith(a), "prefix-free: " + a + " / " + b);
            }
        }
        // worked by hand with CreateBinaryTree's two fronts: 1+2 → n6 (3), n6+5 → n7 (8), 6+n7 → n8 (14),
        // 10+</s> → n9 (13), n8+n9 → the root n10; inner node n is row n − 6
        byte[][] expected = {{1, 1}, {1, 0}, {0, 0}, {0, 1, 1}, {0, 1, 0, 1}, {0, 1, 0, 0}};
        int[][] points = {{4, 3}, {4, 3}, {4, 2}, {4, 2, 1}, {4, 2, 1, 0}, {4, 2, 1, 0}};
        for (int w = 0; w < counts.length; w++) {
            assertArrayEquals(expected[w], t.codes[w], "code of word " + w);
            assertArrayEquals(points[w], t.points[w], "path of word " + w);
        }
        assertEquals(4, t.longestPath, "the longest code (words 4 and 5)");
        assertEquals(1, new HuffmanTree(new long[] {4}).codes[0].length, "a one-word vocabulary still has a path");
        assertEquals(1, new HuffmanTree(new long[] {4}).longestPath);
    }

    @Test
    void theSimdAndThePlainPathsEachLearnAndAreDeterministic() {
        assertTrue(Word2Vec.SIMD, "the tests run with jdk.incubator.vector (word2vec/pom.xml), so the default path "
                + "is the SIMD one");
        for (boolean simd : new boolean[] {true, false}) {
            for (Word2VecConfig cfg : List.of(small(false), small(true).withHs(true).withNegative(0))) {
                KeyedVectors kv = Word2Vec.train(cfg, plantedCorpus(1), null, simd);
                String what = (simd ? "SIMD" : "plain") + (cfg.cbow() ? " CBOW hs" : " skip-gram");
                double within = (meanCosine(kv, ANIMALS, ANIMALS) + meanCosine(kv, TOOLS, TOOLS)) / 2;
                assertTrue(within > meanCosine(kv, ANIMALS, TOOLS) + 0.5, what);
                KeyedVectors again = Word2Vec.train(cfg, plantedCorpus(1), null, simd);
                for (String w : kv.words()) {
                    assertArrayEquals(kv.vector(w), again.vector(w), what + ": one thread is deterministic");
                }
            }
        }
    }

    @Test
    void oneThreadIsBitIdenticalForASeed() {
        List<List<String>> corpus = plantedCorpus(2);
        KeyedVectors a = Word2Vec.train(small(false), corpus, null);
        KeyedVectors b = Word2Vec.train(small(false), corpus, null);
        KeyedVectors c = Word2Vec.train(small(false).withSeed(8), corpus, null);
        assertEquals(a.words(), b.words());
        boolean differs = false;
        for (String w : a.words()) {
            assertArrayEquals(a.vector(w), b.vector(w), w);
            differs |= !Arrays.equals(a.vector(w), c.vector(w));
        }
        assertTrue(differs, "another seed gives other vectors");
    }

    @Test
    void vocabularyIsCountedAsTheCToolCountsIt() {
        List<List<String>> corpus = List.of(List.of("b", "a", "b"), List.of("c", "b", "a"), List.of());
        KeyedVectors kv = Word2Vec.train(small(false).withMinCount(2), corpus, null);
        assertEquals(List.of("</s>", "b", "a"), kv.words(), "</s> first, then by count; c (once) dropped");
        assertEquals(3, kv.count("b"));
        assertEquals(3, kv.count("</s>"), "one per line");
    }

    @Test
    void trainsFromAFileWithNormalization(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("c.txt");
        StringBuilder sb = new StringBuilder();
        for (List<String> s : plantedCorpus(3)) {
            sb.append(String.join(" ", s).toUpperCase()).append('\n');
        }
        Files.writeString(f, sb);
        KeyedVectors kv = Word2Vec.train(small(false), Word2Vec.textFile(f, org.autoreg.tokenizer.Normalizer.lowercase()),
                null);
        assertTrue(kv.contains("cat") && !kv.contains("CAT"));
        assertTrue(meanCosine(kv, ANIMALS, ANIMALS) > meanCosine(kv, ANIMALS, TOOLS) + 0.5);
    }

    @Test
    void aFileCutIntoSharesHoldsEveryLineOnceInOrder(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("s.txt");
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 40; i++) {
            int n = r.nextInt(6);                                    // empty lines too
            for (int k = 0; k < n; k++) {
                sb.append(k > 0 ? " " : "").append("wörd").append(r.nextInt(9)).append(k % 2 == 0 ? "é" : "");
            }
            sb.append('\n');
        }
        sb.append("last line without a newline");
        Files.writeString(f, sb);
        List<List<String>> whole = new java.util.ArrayList<>();
        Word2Vec.textFile(f, null).forEach(whole::add);
        assertEquals(41, whole.size());
        for (int n = 1; n <= 7; n++) {
            List<List<String>> joined = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                ((Word2Vec.Shares) Word2Vec.textFile(f, null)).share(i, n).forEach(joined::add);
            }
            assertEquals(whole, joined, n + " shares");
        }
        Path tiny = Files.writeString(tmp.resolve("tiny.txt"), "one line\n");
        List<List<String>> joined = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {                                // more shares than lines: the others are empty
            ((Word2Vec.Shares) Word2Vec.textFile(tiny, null)).share(i, 5).forEach(joined::add);
        }
        assertEquals(List.of(List.of("one", "line")), joined);
    }

    @Test
    void badCorporaAreClearErrors(@TempDir Path tmp) throws IOException {
        String empty = assertThrows(IllegalArgumentException.class,
                () -> Word2Vec.train(small(false), List.of(List.of(), List.of()), null)).getMessage();
        assertTrue(empty.contains("the corpus has no words"), empty);
        String rare = assertThrows(IllegalArgumentException.class,
                () -> Word2Vec.train(small(false).withMinCount(5), List.of(List.of("a", "b", "a")), null)).getMessage();
        assertTrue(rare.contains("no word occurs min-count = 5 times") && rare.contains("'a', occurs 2 times"), rare);
        Path notUtf8 = tmp.resolve("latin1.txt");
        Files.write(notUtf8, new byte[] {'a', ' ', (byte) 0xE9, '\n'});
        String enc = assertThrows(java.io.UncheckedIOException.class,
                () -> Word2Vec.train(small(false), Word2Vec.textFile(notUtf8, null), null)).getMessage();
        assertTrue(enc.contains("is not UTF-8"), enc);
        assertThrows(IllegalArgumentException.class, () -> Word2Vec.textFile(tmp.resolve("missing.txt"), null));
        String cfg = assertThrows(IllegalArgumentException.class, () -> small(false).withWindow(0)).getMessage();
        assertTrue(cfg.contains("window must be at least 1"), cfg);
    }

    @Test
    void multiThreadedTrainingAlsoLearns() {
        KeyedVectors kv = Word2Vec.train(small(false).withThreads(2), plantedCorpus(4), null);
        assertTrue(meanCosine(kv, TOOLS, TOOLS) > meanCosine(kv, ANIMALS, TOOLS) + 0.5);
        assertFalse(kv.words().isEmpty());
    }
}
