package org.autoreg.word2vec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.autoreg.tokenizer.cli.Cli;
import org.autoreg.word2vec.KeyedVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train → eval → similar through the command line. */
class Word2VecCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Cli.run(new Word2VecCommand(), args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void trainEvaluateQuery() throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        List<String> a = List.of("cat", "dog", "cow", "goat");
        List<String> b = List.of("saw", "drill", "hammer", "wrench");
        for (int s = 0; s < 2000; s++) {
            List<String> c = s % 2 == 0 ? a : b;
            for (int i = 0; i < 8; i++) {
                sb.append(c.get(r.nextInt(4))).append(' ');
            }
            sb.append('\n');
        }
        Path corpus = Files.writeString(tmp.resolve("c.txt"), sb);
        Path vec = tmp.resolve("v.bin");
        Run t = run("train", "--corpus", corpus.toString(), "--out", vec.toString(), "--cbow", "0", "--size", "12",
                "--window", "3", "--iter", "3", "--min-count", "1", "--sample", "0", "--threads", "1", "--binary");
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.err().contains("progress 100%"), t.err());
        assertEquals(9, KeyedVectors.load(vec).size(), "8 words and </s>");
        Path q = Files.writeString(tmp.resolve("q.txt"), ": animals\ncat dog cow goat\ncat dog unicorn goat\n");
        Run e = run("eval", "--vectors", vec.toString(), "--analogies", q.toString(), "--json");
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("\"seen\":1") && e.out().contains("\"total\":2"), e.out());
        Run s = run("similar", "--vectors", vec.toString(), "cat", "--topn", "3");
        assertEquals(0, s.exit(), s.err());
        for (String line : s.out().strip().split("\n")) {
            assertTrue(a.contains(line.split(" +")[0]), s.out());
        }
        Run bad = run("similar", "--vectors", vec.toString(), "unicorn");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("'unicorn' is not in the vocabulary"), bad.err());
        Run measure = run("similar", "--vectors", vec.toString(), "cat", "--measure", "angle");
        assertEquals(2, measure.exit());
        Run hs = run("train", "--corpus", corpus.toString(), "--out", vec.toString(), "--hs", "2");
        assertEquals(2, hs.exit());
        assertTrue(hs.err().contains("--hs") && hs.err().contains("0 or 1"), hs.err());
        Run nothing = run("train", "--corpus", corpus.toString(), "--out", vec.toString(), "--negative", "0");
        assertEquals(2, nothing.exit());
        assertTrue(nothing.err().contains("negative = 0 without hierarchical softmax"), nothing.err());
        Run hsOnly = run("train", "--corpus", corpus.toString(), "--out", vec.toString(), "--hs", "1", "--negative",
                "0", "--min-count", "1", "--threads", "1");
        assertEquals(0, hsOnly.exit(), hsOnly.err());
        assertTrue(hsOnly.err().contains("negative 0, hs 1"), hsOnly.err());
    }
}
