package org.autoreg.tokenizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code autoreg tokenizer train|encode|decode} end to end on files the test writes. */
class TokenizerCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Cli.commandLine(new TokenizerCommand());
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void trainEncodeDecodeRoundTrip() throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("The quick brown fox jumps over the lazy dog ").append(i % 7).append(".\n");
        }
        Files.writeString(corpus, sb);
        Path dir = tmp.resolve("tok");
        assertEquals(0, run("train", "--corpus", corpus.toString(), "--vocab-size", "280", "--out", dir.toString()));
        Tokenizer tok = Tokenizers.load(dir);
        assertEquals(280, tok.vocabSize());

        Path in = tmp.resolve("in.jsonl");
        Files.writeString(in, "{\"id\": 7, \"text\": \"The lazy fox 😀\"}\n\n{\"text\": \"\"}\n");
        Path ids = tmp.resolve("ids.jsonl");
        assertEquals(0, run("encode", "--tokenizer", dir.toString(), "--input", in.toString(), "--output", ids.toString()));
        List<String> lines = Files.readAllLines(ids);
        assertEquals(2, lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals(7, first.get("id").asInt(), "other fields are kept");
        int[] expected = tok.encodeToIds("The lazy fox 😀", true);
        assertEquals(expected.length, first.get("ids").size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], first.get("ids").get(i).asInt());
        }
        assertEquals(List.of("id", "text", "ids"), List.copyOf(iterable(first.fieldNames())));

        Path back = tmp.resolve("back.jsonl");
        assertEquals(0, run("decode", "--tokenizer", dir.toString(), "--input", ids.toString(), "--output", back.toString()));
        assertEquals("The lazy fox 😀", json.readTree(Files.readAllLines(back).get(0)).get("text").asText());
    }

    @Test
    void splitSpecialTokensEncodesThemAsText() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "the cat sat on the mat\n".repeat(100));
        Path dir = tmp.resolve("tok");
        assertEquals(0, run("train", "--corpus", corpus.toString(), "--vocab-size", "270", "--out", dir.toString()));
        Tokenizer tok = Tokenizers.load(dir);
        int eos = tok.tokenToId("<|endoftext|>").getAsInt();
        Path in = Files.writeString(tmp.resolve("in.jsonl"), "{\"text\": \"the cat<|endoftext|>the mat\"}\n");
        ObjectMapper json = new ObjectMapper();
        for (boolean split : new boolean[] {false, true}) {
            Path out = tmp.resolve("out-" + split + ".jsonl");
            List<String> args = new java.util.ArrayList<>(List.of("encode", "--tokenizer", dir.toString(), "--input",
                    in.toString(), "--output", out.toString(), "--no-add-special-tokens"));
            if (split) {
                args.add("--split-special-tokens");
            }
            assertEquals(0, run(args.toArray(new String[0])));
            JsonNode ids = json.readTree(Files.readAllLines(out).get(0)).get("ids");
            int[] actual = new int[ids.size()];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = ids.get(i).asInt();
            }
            int[] expected = split ? tok.encodeOrdinary("the cat<|endoftext|>the mat")
                    : tok.encodeToIds("the cat<|endoftext|>the mat", false);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, "split " + split);
            assertEquals(!split, java.util.Arrays.stream(actual).anyMatch(id -> id == eos), "split " + split);
        }
    }

    @Test
    void benchMeasuresFullAndPlainEncodingAndSkipsTrainingWithZeroRuns() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "the cat sat on the mat <|endoftext|>\n".repeat(200));
        Path dir = tmp.resolve("tok");
        assertEquals(0, run("train", "--corpus", corpus.toString(), "--vocab-size", "270", "--out", dir.toString()));
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            rc = run("bench", "--tokenizer", dir.resolve("tokenizer.json").toString(), "--corpus", corpus.toString(),
                    "--warmup", "0", "--runs", "1", "--train-runs", "0", "--extra-added", "50");
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, rc, err + out);
        assertTrue(out.contains("51 added tokens"), out);
        assertTrue(out.contains("full, added tokens matched") && out.contains("plain text (encodeOrdinary)"), out);
        assertTrue(out.contains("200 added-token matches"), out);
        assertFalse(out.contains("training"), "--train-runs 0 skips training: " + out);
        assertFalse(out.contains("GPT-2"), out);
        assertEquals(2, run("bench", "--tokenizer", dir.toString(), "--corpus", corpus.toString(), "--runs", "0"));
        assertTrue(err.toString().contains("--runs must be at least 1"), err.toString());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void badInputsAreReportedWithoutStackTraces() throws Exception {
        Path gpt2dir = tmp.resolve("tok");
        Path corpus = Files.writeString(tmp.resolve("c.txt"), "abc abc abd\n".repeat(50));
        assertEquals(0, run("train", "--corpus", corpus.toString(), "--vocab-size", "260", "--out", gpt2dir.toString()));

        Path in = Files.writeString(tmp.resolve("bad.jsonl"), "{\"text\": \"ok\"}\n{\"txt\": \"oops\"}\n");
        Path out = tmp.resolve("out.jsonl");
        assertEquals(1, run("encode", "--tokenizer", gpt2dir.toString(), "--input", in.toString(), "--output", out.toString()));
        assertTrue(err.toString().contains("bad.jsonl line 2: no string field \"text\""), err.toString());
        assertFalse(Files.exists(out), "no partial output");
        assertFalse(err.toString().contains("\tat "), "no stack trace");

        Files.writeString(in, "not json\n");
        assertEquals(1, run("encode", "--tokenizer", gpt2dir.toString(), "--input", in.toString(), "--output", out.toString()));
        assertTrue(err.toString().contains("line 1: not valid JSON"), err.toString());

        assertEquals(1, run("train", "--corpus", corpus.toString(), "--vocab-size", "100", "--out", tmp.resolve("x").toString()));
        assertTrue(err.toString().contains("smaller than the byte-level alphabet"), err.toString());

        assertEquals(2, run("train", "--corpus", corpus.toString(), "--type", "unigram", "--out", tmp.resolve("y").toString()));
        assertEquals(2, run("encode", "--no-such-flag"));

        Path ids = Files.writeString(tmp.resolve("ids.jsonl"), "{\"ids\": [1, 99999]}\n");
        assertEquals(1, run("decode", "--tokenizer", gpt2dir.toString(), "--input", ids.toString(), "--output", out.toString()));
        assertTrue(err.toString().contains("ids.jsonl line 1: token id 99999 is not in this tokenizer's vocabulary"),
                err.toString());
    }
}
