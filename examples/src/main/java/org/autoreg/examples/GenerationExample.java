package org.autoreg.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.autoreg.core.ModelDirectory;
import org.autoreg.generate.Completion;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.GenerationConfig.ContextOverflow;
import org.autoreg.generate.Generator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** 10. One trained model, many ways to decode, and the errors users meet. */
final class GenerationExample implements Example {
    @Override
    public String name() {
        return "generation";
    }

    @Override
    public String summary() {
        return "one model, decoding compared (greedy, temperature 0.5/1.0/1.5, top-k, top-p, repetition penalty), "
                + "max_length vs max_new_tokens, and the errors of the notes as a user meets them";
    }

    @Override
    public Result run(Context ctx) throws IOException {
        Path best = TransformerExample.model(ctx, ctx.dir().getParent().resolve("transformer").resolve("run"));
        Generator g = Generator.load(best, msg -> ctx.out().println("  (warning: " + msg + ")"));
        String prompt = "KING:";
        int n = ctx.scaled(120);
        record Way(String name, GenerationConfig cfg) {
        }
        GenerationConfig.Builder base = GenerationConfig.builder().maxNewTokens(n).seed(ctx.seed()).topK(0);
        List<Way> ways = List.of(
                new Way("greedy (always the most likely)", base.build().toBuilder().doSample(false).build()),
                new Way("sampling, temperature 0.5", base.build().toBuilder().doSample(true).temperature(0.5).build()),
                new Way("sampling, temperature 1.0", base.build().toBuilder().doSample(true).temperature(1.0).build()),
                new Way("sampling, temperature 1.5", base.build().toBuilder().doSample(true).temperature(1.5).build()),
                new Way("top-k 5", base.build().toBuilder().doSample(true).topK(5).build()),
                new Way("top-p 0.9", base.build().toBuilder().doSample(true).topP(0.9).build()),
                new Way("greedy + repetition penalty 1.3", base.build().toBuilder().doSample(false)
                        .repetitionPenalty(1.3).build()));
        for (Way w : ways) {
            Completion c = g.generate(prompt, w.cfg()).get(0);
            ctx.out().printf("---- %s ----%n%s%s%n%n", w.name(), prompt, c.text());
        }
        ctx.out().println("""
                Greedy decoding repeats itself; low temperature sharpens the distribution (safer, duller), high
                temperature flattens it (more surprising, more errors); top-k and top-p cut the unlikely tail.
                """);
        int promptTokens = g.encodePrompt(prompt).length;
        Completion byLength = g.generate(prompt, GenerationConfig.builder().doSample(false).maxLength(promptTokens + 10)
                .build()).get(0);
        ctx.out().printf("max_length = %d counts the prompt's %d tokens: %d new tokens. max_new_tokens = 10 counts only "
                + "new ones.%n%n", promptTokens + 10, promptTokens, byLength.completionTokens());
        Result r = new Result().put("max_length_new_tokens", byLength.completionTokens());
        ctx.out().println("The errors, as a user meets them:");
        r.put("error_max_length", show(ctx, "max_length ≤ prompt length", () -> g.generate(prompt,
                GenerationConfig.builder().maxLength(promptTokens).build())));
        Path vectors = ctx.dir().resolve("embedding-only-model");
        ModelDirectory.saveEmbeddings(vectors, Nd4j.rand(DataType.FLOAT, g.tokenizer().vocabSize(), 8), g.tokenizer(),
                null);
        r.put("error_no_lm_head", show(ctx, "generate with a model without an LM head", () -> Generator.load(vectors)));
        int block = g.model().config().blockSize();
        r.put("error_context", show(ctx, "context overflow with --no-slide", () -> g.generate(prompt,
                GenerationConfig.builder().maxNewTokens(block + 10).contextOverflow(ContextOverflow.ERROR).build())));
        return r;
    }

    private interface Action {
        Object run() throws Exception;
    }

    private static String show(Context ctx, String what, Action a) {
        try {
            a.run();
            ctx.out().printf("  %s: no error?%n", what);
            return null;
        } catch (Exception e) {
            ctx.out().printf("  %s →%n    error: %s%n", what, e.getMessage());
            return e.getMessage();
        }
    }
}
