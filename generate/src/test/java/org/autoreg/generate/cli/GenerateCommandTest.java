package org.autoreg.generate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.autoreg.generate.TinyModel;
import org.autoreg.tokenizer.cli.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate and chat commands end to end on a model trained in the test. */
class GenerateCommandTest {
    @TempDir
    static Path tmp;
    static String model;

    @BeforeAll
    static void train() throws IOException {
        model = TinyModel.train(tmp.resolve("model")).toString();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(Object command, String stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int code = Cli.run(command, args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    private static Run generate(String... args) {
        return run(new GenerateCommand(), "", args);
    }

    @Test
    void printsTheContinuationOnly() {
        Run r = generate("--model", model, "--prompt", "the cat", "--no-do-sample", "--max-new-tokens", "60");
        assertEquals(0, r.exit(), r.err());
        assertEquals(" sat on the mat 🙂 猫はマットの上 the end\n", r.out());
        Run s = generate("--model", model, "--prompt", "the cat", "--greedy", "--max-new-tokens", "60",
                "--stream", "--no-cache");
        assertEquals(r.out(), s.out(), "streamed without the cache: same text");
    }

    @Test
    void samplesSeveralSequencesAsJson() throws IOException {
        String[] args = {"--model", model, "--prompt", "the", "--prompt", "hello", "--do-sample", "--temperature", "2",
            "--num-return-sequences", "2", "--seed", "5", "--max-new-tokens", "12", "--json"};
        Run r = generate(args);
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(4, lines.length, r.out());
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertEquals("length", first.get("finish_reason").asText());
        assertEquals(12, first.get("token_ids").size());
        assertEquals(r.out(), generate(args).out(), "same seed, same output");
    }

    @Test
    void invalidParametersExitWithTwo() {
        Run t = generate("--model", model, "--prompt", "the", "--do-sample", "--temperature", "-1");
        assertEquals(2, t.exit());
        assertTrue(t.err().contains("temperature = -1.0: must be ≥ 0"), t.err());
        assertFalse(t.err().contains("Exception"), t.err());
        Run len = generate("--model", model, "--prompt", "the cat", "--max-length", "1");
        assertEquals(2, len.exit());
        assertTrue(len.err().contains("raise max_length above"), len.err());
        Run greedyMany = generate("--model", model, "--prompt", "the", "--no-do-sample", "--num-return-sequences", "3");
        assertEquals(2, greedyMany.exit());
        assertTrue(greedyMany.err().contains("needs sampling"), greedyMany.err());
        Run slide = generate("--model", model, "--prompt", "the", "--max-new-tokens", "100", "--no-slide");
        assertEquals(2, slide.exit());
        assertTrue(slide.err().contains("context (block_size) is " + TinyModel.BLOCK), slide.err());
        Run topP = generate("--model", model, "--prompt", "the", "--top-p", "1.5");
        assertEquals(2, topP.exit());
        Run noPrompt = generate("--model", model);
        assertEquals(2, noPrompt.exit());
    }

    @Test
    void warningsGoToStderr() {
        Run r = generate("--model", model, "--prompt", "the cat", "--no-do-sample", "--top-k", "5", "--max-new-tokens",
                "5");
        assertEquals(0, r.exit());
        assertTrue(r.err().contains("warning: top_k is ignored: do_sample is false"), r.err());
    }

    @Test
    void aTrainingRunDirectoryMeansItsBestCheckpoint() throws IOException {
        Path run = tmp.resolve("run");
        java.nio.file.Files.createDirectories(run.resolve("best"));
        java.nio.file.Files.writeString(run.resolve("config.json"), "{\"n_layer\": 2}");   // a run's config, not a model's
        try (var files = java.nio.file.Files.list(Path.of(model))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, run.resolve("best").resolve(f.getFileName()));
            }
        }
        Run r = generate("--model", run.toString(), "--prompt", "the cat", "--greedy", "--max-new-tokens", "5");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith(" sat on"), r.out());
        assertTrue(r.err().contains("is a training run; using its best checkpoint, " + run.resolve("best")), r.err());
    }

    @Test
    void aMissingModelIsAClearError() {
        Run r = generate("--model", tmp.resolve("nope").toString(), "--prompt", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("is not a directory"), r.err());
    }

    @Test
    void chatReadsTurnsFromPipedInput() {
        Run r = run(new ChatCommand(), "hi\n\n/reset\nhi\n/exit\nnever read\n", "--model", model, "--no-do-sample",
                "--max-new-tokens", "20");
        assertEquals(0, r.exit(), r.err());
        assertEquals("hello there\n(conversation reset)\nhello there\n", r.out());
    }
}
