package org.autoreg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example runs (small) and shows what it teaches; every picture is a real, non-blank PNG. */
class ExamplesTest {
    @TempDir
    static Path tmp;
    static Path corpus;

    /** A synthetic corpus with the words the examples look at, written here (no shared data needed). */
    @BeforeAll
    static void corpus() throws IOException {
        List<String> words = new ArrayList<>(Word2VecExample.PLOTTED);
        words.addAll(List.of("the", "the", "the", "a", "and", "of", "to", "my", "thy", "is", "shall", "not", "man",
                "woman", "art", "thou", "o", "romeo", "wherefore", "with", "in", "his", "her", ",", ".", "!"));
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 300_000) {
            int n = 4 + r.nextInt(9);
            for (int i = 0; i < n; i++) {
                String w = words.get(r.nextInt(words.size()));
                sb.append(i == 0 ? w.toUpperCase() : w).append(i == n - 1 ? ".\n" : " ");
            }
        }
        corpus = Files.writeString(tmp.resolve("corpus.txt"), sb);
    }

    private static Example.Result run(String name, double scale) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Example.Result r = ExampleCommand.find(name).run(new Example.Context(tmp.resolve(name), out, () -> corpus, 1,
                scale));
        assertFalse(buf.toString(StandardCharsets.UTF_8).isBlank(), name + " printed nothing");
        for (Path p : r.pictures) {
            validPng(p);
        }
        return r;
    }

    /** Opens as an image of reasonable size with more than a handful of colours. */
    static void validPng(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " was not written");
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " is not a readable image");
        assertTrue(img.getWidth() >= 300 && img.getHeight() >= 300, p + ": " + img.getWidth() + "×" + img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, p + " looks blank: " + colours.size() + " colours");
    }

    @Test
    void theListHasTwelveStepsInOrder() {
        assertEquals(List.of("perceptron", "mlp", "ngram", "classifier", "word2vec", "attention", "multihead",
                "positions", "transformer", "generation", "chat", "llama"), ExampleCommand.ALL.stream().map(Example::name).toList());
    }

    @Test
    void perceptronLearnsAndOrButNotXor() throws IOException {
        Example.Result r = run("perceptron", 1);
        assertEquals(1.0, r.number("AND"));
        assertEquals(1.0, r.number("OR"));
        assertTrue(r.number("XOR") < 1.0);
    }

    @Test
    void mlpSolvesXor() throws IOException {
        assertEquals(1.0, run("mlp", 1).number("XOR"));
    }

    @Test
    void ngramPerplexityFallsWithNOnTrainTextAndSeesOnlyTheLastWords() throws IOException {
        Example.Result r = run("ngram", 0.15);
        assertTrue(r.number("train_ppl_1") > r.number("train_ppl_2"), r.values.toString());
        assertTrue(r.number("train_ppl_2") > r.number("train_ppl_3"), r.values.toString());
        assertEquals(Boolean.TRUE, r.get("same_distribution"));
        assertEquals(1, r.pictures.size());
    }

    @Test
    void classifierOutputsADistributionOverAllWords() throws IOException {
        Example.Result r = run("classifier", 0.2);
        assertEquals(1.0, r.number("sum"), 1e-4);
        assertTrue(r.number("last_loss") < r.number("first_loss") - 0.2, r.values.toString());
    }

    @Test
    void word2vecMeasuresAgreeOnUnitVectorsAndPlotsAProjection() throws IOException {
        Example.Result r = run("word2vec", 0.2);
        assertEquals(Boolean.TRUE, r.get("agree_on_unit_vectors"));
        assertEquals(1, r.pictures.size());
    }

    @Test
    void attentionRowsSumToOneAndTheMaskHidesTheFuture() throws IOException {
        Example.Result r = run("attention", 1);
        assertTrue(r.number("row_sum_error") < 1e-9);
        assertEquals(0.0, r.number("future_weight"));
        assertEquals(Boolean.TRUE, r.get("symmetric_plain"), "the plain score table is symmetric (x_i·x_j = x_j·x_i)");
        assertEquals(2, r.pictures.size());
    }

    @Test
    void headsDifferAndTheProjectionCombinesThem() throws IOException {
        Example.Result r = run("multihead", 1);
        assertTrue(r.number("head_difference") > 0.1);
        assertEquals(6.0, r.number("output_rows"));
        assertEquals(16.0, r.number("output_cols"));
        assertEquals(4, r.pictures.size());
    }

    @Test
    void withoutPositionsWordOrderIsInvisible() throws IOException {
        Example.Result r = run("positions", 1);
        assertTrue(r.number("without") < 1e-9, "dog bites man = man bites dog without positions");
        assertTrue(r.number("dog_without") < 1e-9);
        assertTrue(r.number("with") > 1e-3, "different with positions");
        assertEquals(2, r.pictures.size());
    }

    @Test
    void transformerLossFallsAndGenerationAndChatRun() throws IOException {
        Example.Result t = run("transformer", 0.1);
        assertTrue(t.number("last_val_loss") < t.number("first_val_loss") - 0.3, t.values.toString());
        assertEquals(1, t.pictures.size(), "loss.png");

        Example.Result g = run("generation", 0.1);
        assertEquals(10.0, g.number("max_length_new_tokens"));
        assertTrue(((String) g.get("error_max_length")).contains("raise max_length"), g.values.toString());
        assertTrue(((String) g.get("error_no_lm_head")).contains("without a language-modelling head"));
        assertTrue(((String) g.get("error_context")).contains("context (block_size)"));

        Example.Result c = run("chat", 0.1);
        assertTrue(((String) c.get("rendered")).endsWith("<|im_start|>assistant\n"), (String) c.get("rendered"));
        assertTrue(c.number("chat_ids") > c.number("plain_ids"));
        int imStart = (int) c.number("im_start");
        assertEquals(imStart, ((int[]) c.get("chat"))[0], "the template's first token is <|im_start|>, one id");
    }

    @Test
    void llamaTrainsAndGeneratesPastItsContext() throws IOException {
        Example.Result r = run("llama", 0.1);
        assertTrue(r.number("llama_last_val_loss") < r.number("llama_first_val_loss") - 0.3, r.values.toString());
        assertTrue(r.number("gpt2_last_val_loss") < r.number("gpt2_first_val_loss") - 0.3, r.values.toString());
        assertTrue(r.number("long_tokens") > 3 * r.number("block_size"), r.values.toString());
        assertEquals(1, r.pictures.size(), "the two loss curves");
    }
}
