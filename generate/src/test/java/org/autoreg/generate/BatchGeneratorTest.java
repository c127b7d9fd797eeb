package org.autoreg.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.engine.Decoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching gives every request exactly what it gets alone, whoever runs beside it;
 * logprobs are the log-softmax of the model's raw logits.
 */
class BatchGeneratorTest {
    @TempDir
    Path tmp;

    /** A request's completions and the text streamed for each of its sequences. */
    private record Outcome(List<Completion> completions, List<StringBuilder> streamed) {
    }

    private static CompletableFuture<Outcome> submit(BatchGenerator b, int[] prompt, GenerationConfig cfg, int logprobs) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        int n = cfg.numReturnSequences() == null ? 1 : cfg.numReturnSequences();
        Completion[] done = new Completion[n];
        List<StringBuilder> text = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            text.add(new StringBuilder());
        }
        int[] left = {n};
        b.submit(prompt, cfg, logprobs, new BatchGenerator.Listener() {
            @Override
            public void onText(int index, String delta, List<TokenLogprob> tokens) {
                text.get(index).append(delta);
            }

            @Override
            public void onFinish(int index, Completion c) {
                done[index] = c;
                if (--left[0] == 0) {
                    f.complete(new Outcome(List.of(done), text));
                }
            }

            @Override
            public void onError(RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static void batchedEqualsAlone(Generator g) throws Exception {
        int[] p1 = g.encodePrompt("the cat");
        int[] p2 = g.encodePrompt("the");
        int[] p3 = g.encodePrompt("マット");
        List<int[]> prompts = List.of(p1, p2, p3, p1, p2, p3, p1, p2);
        List<GenerationConfig> cfgs = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            GenerationConfig.Builder c = GenerationConfig.builder().maxNewTokens(5 + 9 * i).seed(100L + i);
            if (i % 3 == 0) {
                c.doSample(false);
            } else {
                c.doSample(true).temperature(1.5).topK(0);
            }
            if (i == 2) {
                c.numReturnSequences(3);
            }
            if (i == 4) {
                c.stopStrings(List.of("mat"));
            }
            if (i == 5) {
                c.minNewTokens(35);                            // slides past the window (no EOS before)
            }
            if (i == 7) {
                c.contextOverflow(GenerationConfig.ContextOverflow.REFILL).minNewTokens(40);
            }
            cfgs.add(c.build());
        }
        List<List<Completion>> alone = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            alone.add(g.generate(prompts.get(i), cfgs.get(i), i % 2, null));
        }
        try (BatchGenerator b = new BatchGenerator(g, 1, 6, 16)) {
            List<CompletableFuture<Outcome>> fs = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                fs.add(submit(b, prompts.get(i), cfgs.get(i), i % 2));
                if (i == 3) {
                    Thread.sleep(20);                          // the rest join a running batch
                }
            }
            for (int i = 0; i < prompts.size(); i++) {
                Outcome o = fs.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(alone.get(i), o.completions(), "request " + i);
                for (int s = 0; s < o.completions().size(); s++) {
                    assertEquals(o.completions().get(s).text(), o.streamed().get(s).toString(), "streamed = final text");
                }
            }
        }
        assertTrue(alone.get(2).stream().map(Completion::text).distinct().count() > 1, "n = 3 samples differ");
        assertTrue(alone.get(5).get(0).completionTokens() + p3.length > TinyModel.BLOCK, "a request outgrew the window");
        assertTrue(alone.get(7).get(0).completionTokens() + p2.length > TinyModel.BLOCK, "a request outgrew the window");
    }

    @Test
    void gpt2RequestsGetWhatTheyGetAlone() throws Exception {
        batchedEqualsAlone(Generator.load(TinyModel.train(tmp.resolve("gpt2")), null));
    }

    @Test
    void llamaRequestsGetWhatTheyGetAlone() throws Exception {
        batchedEqualsAlone(Generator.load(TinyModel.train(tmp.resolve("llama"), ModelConfig.Architecture.LLAMA), null));
    }

    @Test
    void promptsThatStartAlikeReuseTheCachedPrefixAndGetTheSameOutput() throws Exception {
        Generator g = Generator.load(TinyModel.train(tmp.resolve("prefix")), null);
        List<int[]> prompts = List.of(g.encodePrompt("the cat sat on the mat 🙂"), g.encodePrompt("the cat sat on the end"),
                g.encodePrompt("the cat sat on the mat 🙂 猫"), g.encodePrompt("the cat sat on the mat 🙂"));
        try (BatchGenerator b = new BatchGenerator(g, 1, 4, 8)) {
            for (int i = 0; i < prompts.size(); i++) {
                GenerationConfig cfg = GenerationConfig.builder().maxNewTokens(6).doSample(true).topK(0)
                        .seed(40L + i).build();
                Outcome o = submit(b, prompts.get(i), cfg, 1).get(60, TimeUnit.SECONDS);   // one after another
                assertEquals(g.generate(prompts.get(i), cfg, 1, null), o.completions(), "prompt " + i);
            }
            assertTrue(b.reusedPrefixPositions() >= 3 * PrefixCache.MIN, "positions copied: " + b.reusedPrefixPositions());
        }
    }

    @Test
    void logprobsAreTheLogSoftmaxOfTheRawLogits() throws IOException {
        Generator g = Generator.load(TinyModel.train(tmp.resolve("lp")), null);
        int[] prompt = g.encodePrompt("the cat");
        Completion c = g.generate(prompt, GenerationConfig.builder().doSample(true).temperature(0.7).topK(3)
                .maxNewTokens(6).seed(3L).build(), 2, null).get(0);
        assertEquals(c.completionTokens(), c.logprobs().size());
        Decoder d = new Decoder(g.model());
        float[] logits = null;
        for (int id : prompt) {
            logits = d.next(id);
        }
        for (int t = 0; t < c.completionTokens(); t++) {
            int id = c.tokenIds()[t];
            double z = 0;                                      // p(id) = e^logit / Σ e^logit, in double
            for (float l : logits) {
                z += Math.exp((double) l);
            }
            double want = Math.log(Math.exp((double) logits[id]) / z);
            TokenLogprob e = c.logprobs().get(t);
            assertEquals(id, e.token());
            assertEquals(want, e.logprob(), 1e-9, "token " + t);
            assertEquals(2, e.top().size());
            int best = 0;
            for (int v = 1; v < logits.length; v++) {
                best = logits[v] > logits[best] ? v : best;
            }
            assertEquals(best, e.top().get(0).token(), "most likely first");
            assertTrue(e.top().get(0).logprob() >= e.top().get(1).logprob());
            assertTrue(e.top().get(0).logprob() >= e.logprob());
            logits = d.next(id);
        }
        assertTrue(g.generate(prompt, GenerationConfig.builder().maxNewTokens(3).build(), null).get(0).logprobs()
                .isEmpty(), "none unless asked");
        assertThrows(GenerationException.class, () -> g.generate(prompt, GenerationConfig.EMPTY, 21, null));
    }
}
