package org.autoreg.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.nn.Gpt;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.autoreg.core.engine.Decoder;
import org.autoreg.generate.GenerationConfig.ContextOverflow;
import org.autoreg.tokenizer.ChatMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/** The generator on a tiny model trained here to memorize {@link TinyModel#DOCUMENT}. */
class GeneratorTest {
    @TempDir
    static Path tmp;
    static Path dir;

    @BeforeAll
    static void train() throws IOException {
        dir = TinyModel.train(tmp.resolve("model"));
    }

    private final List<String> warnings = new ArrayList<>();

    private Generator generator() throws IOException {
        return Generator.load(dir, warnings::add);
    }

    private static GenerationConfig.Builder greedy() {
        return GenerationConfig.builder().doSample(false);
    }

    private static GenerationConfig.Builder sampling() {
        return GenerationConfig.builder().doSample(true).topK(0);
    }

    @Test
    void greedyRecitesTheMemorizedTextAndStopsAtEos() throws IOException {
        Completion c = generator().generate("the cat", greedy().maxNewTokens(60).build()).get(0);
        assertEquals(" sat on the mat 🙂 猫はマットの上 the end", c.text());
        assertEquals(Completion.FinishReason.STOP, c.finishReason());
        assertFalse(c.text().contains("<|endoftext|>"), "EOS is not emitted");
        assertEquals(c.text(), generator().tokenizer().decode(c.tokenIds()));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void lengthLimits() throws IOException {
        Generator g = generator();
        Completion c = g.generate("the cat", greedy().maxNewTokens(3).build()).get(0);
        assertEquals(3, c.completionTokens());
        assertEquals(Completion.FinishReason.LENGTH, c.finishReason());
        int prompt = c.promptTokens();
        Completion byLength = g.generate("the cat", greedy().maxLength(prompt + 4).build()).get(0);
        assertEquals(4, byLength.completionTokens(), "max_length counts the prompt");
        String err = assertThrows(GenerationException.class,
                () -> g.generate("the cat", greedy().maxLength(prompt).build())).getMessage();
        assertTrue(err.contains("raise max_length above " + prompt) && err.contains("max_new_tokens"), err);
        Completion both = g.generate("the cat", greedy().maxLength(prompt + 4).maxNewTokens(2).build()).get(0);
        assertEquals(2, both.completionTokens(), "max_new_tokens wins");
        g.generate("the cat", greedy().maxLength(prompt + 4).maxNewTokens(2).build());
        assertEquals(1, warnings.stream().filter(w -> w.contains("max_new_tokens wins")).count(), "warned once");
    }

    @Test
    void invalidRequestsAreErrors() throws IOException {
        Generator g = generator();
        assertTrue(assertThrows(GenerationException.class, () -> g.generate("the", sampling().temperature(-1.0).build()))
                .getMessage().contains("temperature"));
        assertTrue(assertThrows(GenerationException.class, () -> g.generate("the", sampling().topP(0.0).build()))
                .getMessage().contains("top_p"));
        assertTrue(assertThrows(GenerationException.class, () -> g.generate("the", sampling().topK(-3).build()))
                .getMessage().contains("top_k"));
        String n = assertThrows(GenerationException.class,
                () -> g.generate("the", greedy().numReturnSequences(2).build())).getMessage();
        assertTrue(n.contains("needs sampling"), n);
        assertTrue(assertThrows(GenerationException.class, () -> g.generate("the", greedy().eosTokenIds(List.of(100000))
                .build())).getMessage().contains("outside the vocabulary"));
    }

    @Test
    void temperatureZeroIsGreedyWithOneWarning() throws IOException {
        Generator g = generator();
        Completion t0 = g.generate("the cat", sampling().temperature(0.0).maxNewTokens(20).build()).get(0);
        g.generate("the cat", sampling().temperature(0.0).maxNewTokens(5).build());
        assertEquals(g.generate("the cat", greedy().maxNewTokens(20).build()).get(0), t0);
        assertEquals(1, warnings.stream().filter(w -> w.contains("temperature = 0 means greedy")).count(), warnings.toString());
    }

    @Test
    void samplingKnobsWithoutSamplingAreIgnoredWithAWarning() throws IOException {
        Generator g = generator();
        Completion c = g.generate("the cat", greedy().temperature(1.7).topP(0.5).maxNewTokens(20).build()).get(0);
        assertEquals(g.generate("the cat", greedy().maxNewTokens(20).build()).get(0), c);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("temperature, top_p are ignored: do_sample is false"), warnings.get(0));
    }

    @Test
    void theCacheGivesTheSameLogitsAndTheSameGreedyText() throws IOException {
        Generator g = generator();
        Decoder inc = new Decoder(g.model());
        int[] ids = g.tokenizer().encodeToIds(TinyModel.DOCUMENT, false);
        ContextWindow cached = new ContextWindow(inc, true, ContextOverflow.SLIDE, null);
        ContextWindow full = new ContextWindow(new Decoder(g.model()), false, ContextOverflow.SLIDE, null);
        for (int n = 1; n <= TinyModel.BLOCK + 10; n++) { // past the window too: slide recomputes exactly
            float[] a = cached.next(ids, n);
            float[] b = full.next(ids, n);
            for (int v = 0; v < a.length; v++) {
                assertEquals(b[v], a[v], 1e-4, "position " + n + ", token " + v);
            }
        }
        for (String prompt : List.of("the cat", "hello", "猫")) {
            GenerationConfig c = greedy().maxNewTokens(80).eosTokenIds(List.of()).build();
            Completion withCache = g.generate(prompt, c).get(0);
            Completion noCache = g.generate(prompt, c.toBuilder().useCache(false).build()).get(0);
            assertEquals(noCache, withCache, prompt);
            assertEquals(80, withCache.completionTokens());
        }
    }

    @Test
    void sameSeedSameSamplesDifferentSeedsDiffer() throws IOException {
        Generator g = generator();
        GenerationConfig c = sampling().temperature(3.0).maxNewTokens(40).seed(7L).numReturnSequences(2).build();
        List<Completion> a = g.generate("the", c);
        List<Completion> b = generator().generate("the", c);
        assertEquals(a, b, "same seed, same samples");
        assertNotEquals(a.get(0), a.get(1), "the sequences of one call differ");
        List<Completion> other = g.generate("the", c.toBuilder().seed(8L).build());
        assertNotEquals(a, other, "another seed, other samples");
        List<Completion> noCache = g.generate("the", c.toBuilder().useCache(false).build());
        assertEquals(a, noCache, "sampling does not depend on the cache");
    }

    @Test
    void streamingNeverSplitsACharacter() throws IOException {
        Generator g = generator();
        StringBuilder streamed = new StringBuilder();
        List<String> deltas = new ArrayList<>();
        Completion c = g.generate("the cat sat on the mat", greedy().maxNewTokens(40).build(), (seq, d) -> {
            deltas.add(d);
            streamed.append(d);
        }).get(0);
        assertTrue(c.text().contains("🙂") && c.text().contains("猫はマット"), c.text());
        assertEquals(c.text(), streamed.toString());
        for (String d : deltas) {
            assertFalse(d.contains("\uFFFD"), "broken character in " + deltas);
            assertFalse(Character.isHighSurrogate(d.charAt(d.length() - 1)), "split surrogate pair in " + deltas);
        }
        int broken = 0;
        for (int id : c.tokenIds()) {
            broken += g.tokenizer().decode(new int[] {id}).contains("\uFFFD") ? 1 : 0;
        }
        assertTrue(broken >= 2, "the text has tokens that are parts of characters (else the test proves nothing)");
    }

    @Test
    void stopStringsEndTheTextAndAreNotEmitted() throws IOException {
        Generator g = generator();
        StringBuilder streamed = new StringBuilder();
        Completion c = g.generate("the cat", greedy().maxNewTokens(60).stopStrings(List.of("mat", "猫")).build(),
                (seq, d) -> streamed.append(d)).get(0);
        assertEquals(" sat on the ", c.text());
        assertEquals(" sat on the ", streamed.toString(), "no part of the stop string was streamed");
        assertEquals(Completion.FinishReason.STOP, c.finishReason());
    }

    @Test
    void theWindowSlidesOnceSaidOrTheRequestIsRefused() throws IOException {
        Generator g = generator();
        GenerationConfig c = greedy().maxNewTokens(TinyModel.BLOCK * 3).eosTokenIds(List.of()).build();
        Completion slid = g.generate("the cat", c).get(0);
        g.generate("the cat", c);
        assertEquals(TinyModel.BLOCK * 3, slid.completionTokens());
        assertEquals(1, warnings.stream().filter(w -> w.contains("the window slides")).count(), warnings.toString());
        assertTrue(slid.text().contains("the end") && slid.text().contains("hello there"), "still recites: " + slid.text());
        String err = assertThrows(GenerationException.class,
                () -> g.generate("the cat", c.toBuilder().contextOverflow(ContextOverflow.ERROR).build())).getMessage();
        assertTrue(err.contains("block_size) is " + TinyModel.BLOCK) && err.contains("lower max_new_tokens"), err);
        Completion refill = g.generate("the cat", c.toBuilder().contextOverflow(ContextOverflow.REFILL).build()).get(0);
        assertEquals(TinyModel.BLOCK * 3, refill.completionTokens());
    }

    @Test
    void minNewTokensAndNoRepeatNgramChangeTheGreedyPath() throws IOException {
        Generator g = generator();
        Completion plain = g.generate(TinyModel.STORY, greedy().maxNewTokens(10).build()).get(0);
        assertEquals(0, plain.completionTokens(), "EOS comes next: " + plain);
        Completion atLeast = g.generate(TinyModel.STORY, greedy().maxNewTokens(10).minNewTokens(3).build()).get(0);
        assertTrue(atLeast.completionTokens() >= 3, atLeast.toString());
        int[] prompt = g.encodePrompt("the cat sat on the mat");
        Completion c = g.generate(prompt, greedy().maxNewTokens(60).eosTokenIds(List.of()).noRepeatNgramSize(2)
                .build(), null).get(0);
        int[] all = new int[prompt.length + c.completionTokens()];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(c.tokenIds(), 0, all, prompt.length, c.completionTokens());
        java.util.Set<Long> bigrams = new java.util.HashSet<>();
        for (int i = 0; i + 1 < all.length; i++) {
            assertTrue(bigrams.add(((long) all[i] << 32) | all[i + 1]), "bigram repeated at " + i);
        }
        Completion penalized = g.generate("the cat", greedy().maxNewTokens(20).repetitionPenalty(50.0).build()).get(0);
        assertNotEquals(" sat on the mat", penalized.text().substring(0, Math.min(15, penalized.text().length())),
                "a strong repetition penalty moves greedy decoding off the memorized path (\"the\" repeats)");
    }

    @Test
    void batchOfPrompts() throws IOException {
        List<List<Completion>> out = generator().generateBatch(List.of("the cat", "<|im_start|>assistant\n"),
                greedy().maxNewTokens(30).build());
        assertEquals(2, out.size());
        assertTrue(out.get(0).get(0).text().startsWith(" sat on"), out.get(0).get(0).text());
        assertTrue(out.get(1).get(0).text().startsWith("hello there"), out.get(1).get(0).text());
    }

    @Test
    void chatRendersTheTemplateAndStopsAtTheEndOfTurn() throws IOException {
        Generator g = generator();
        Completion reply = g.chat(List.of(ChatMessage.user("hi")), greedy().maxNewTokens(30).build(), null);
        assertEquals("hello there", reply.text());
        assertEquals(Completion.FinishReason.STOP, reply.finishReason());
        ChatSession s = g.newChat(null, greedy().maxNewTokens(10).build());
        assertEquals("hello there", s.send("hi", null).text());
        s.send("hi", null);
        assertEquals(4, s.history().size(), "two turns of user and assistant");
        assertEquals(ChatMessage.assistant("hello there"), s.history().get(1));
        s.reset();
        assertTrue(s.history().isEmpty());
    }

    @Test
    void aDirectoryWithoutAnLmHeadCannotGenerate() throws IOException {
        Path emb = tmp.resolve("vectors");
        ModelDirectory.saveEmbeddings(emb, Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 4),
                generator().tokenizer(), null);
        String err = assertThrows(IOException.class, () -> Generator.load(emb)).getMessage();
        assertTrue(err.contains("without a language-modelling head") && err.contains("cannot be loaded as a GPT or generate"),
                err);
    }

    @Test
    void anEmptyPromptStartsFromBosOrIsAnError() throws IOException {
        Generator g = generator();
        Completion c = g.generate("", greedy().maxNewTokens(8).build()).get(0);
        assertTrue(c.text().startsWith("<|im_start|>user"), "continues after <|endoftext|>: " + c.text());
        TokenizerTrainer chars = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        chars.feed("abc");
        Tokenizer noBos = chars.train();
        Generator h = new Generator(new Gpt(new ModelConfig(3, 8, 1, 1, 4, 0, false, true, null, 1)), noBos, null,
                warnings::add);
        String err = assertThrows(GenerationException.class, () -> h.generate("", greedy().build())).getMessage();
        assertTrue(err.contains("prompt is empty") && err.contains("no BOS token"), err);
    }

    @Test
    void tokenIdsAreReturnedWithoutTheEos() throws IOException {
        Generator g = generator();
        Completion c = g.generate("the cat", greedy().maxNewTokens(60).build()).get(0);
        int eos = g.tokenizer().tokenToId("<|endoftext|>").getAsInt();
        for (int id : c.tokenIds()) {
            assertNotEquals(eos, id);
        }
        assertArrayEquals(g.tokenizer().encodeToIds(c.text(), false), c.tokenIds());
    }
}
