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
