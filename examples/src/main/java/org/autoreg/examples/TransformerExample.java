package org.autoreg.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.Generator;
import org.autoreg.train.Progress;
import org.autoreg.train.TrainConfig;
import org.autoreg.train.Trainer;

/** 9. A decoder-only transformer trained on tinyshakespeare with the train module, then sampled. */
final class TransformerExample implements Example {
    @Override
    public String name() {
        return "transformer";
    }

    @Override
    public String summary() {
        return "train a small decoder-only transformer on tinyshakespeare (the train module), show its loss curve, "
                + "generate from it";
    }

    /**
     * Trains (or reuses, or resumes) the example model in {@code runDir}: nanoGPT's baby shape for
     * 300 steps by default; at scale &lt; 0.5 a 1-layer, 64-wide model (tests).
     */
    static Path model(Context ctx, Path runDir) throws IOException {
        return model(ctx, runDir, List.of());
    }

    /** As {@link #model(Context, Path)} with more config keys ({@code key=value}, e.g. the architecture). */
    static Path model(Context ctx, Path runDir, List<String> more) throws IOException {
        if (Files.isRegularFile(runDir.resolve("final.json"))) {
            ctx.out().println("(reusing the model trained earlier in " + runDir + "; delete it to train again)");
            return runDir.resolve("best");
        }
        int iters = ctx.scaled(300);
        List<String> sets = new ArrayList<>(List.of("corpus=" + ctx.corpus(), "max_iters=" + iters,
                "lr_decay_iters=" + iters, "warmup_iters=" + Math.min(100, iters / 5), "eval_interval="
                + Math.max(1, iters / 3), "eval_iters=5", "sample_tokens=0", "log_interval=" + Math.max(1, iters / 10),
                "seed=" + ctx.seed()));
        if (ctx.scale() < 0.5) {
            sets.addAll(List.of("n_layer=1", "n_head=2", "n_embd=64", "batch_size=8", "learning_rate=3e-3"));
        }
        sets.addAll(more);
        TrainConfig cfg = TrainConfig.load("shakespeare-char-baby", sets);
        boolean resume = Files.isDirectory(runDir.resolve("latest"));
        Trainer.Result r = new Trainer(cfg, runDir, CorpusCatalog.fromEnvironment(), ctx.out(),
                Progress.console(ctx.out(), false, Math.max(1, iters / 10))).run(resume);
        ctx.out().printf("trained %d steps: val loss %.3f (best %.3f), %,.0f tokens/s%n", r.iters(), r.finalValLoss(),
                r.bestValLoss(), r.tokensPerSecond());
        return runDir.resolve("best");
    }

    @Override
    public Result run(Context ctx) throws IOException {
        Path runDir = ctx.dir().resolve("run");
        ctx.out().println("""
                A decoder-only transformer (GPT): token + position embeddings, blocks of causal multi-head attention
                and an MLP with residual connections and LayerNorm, and a final layer scoring every next character.
                Trained on tinyshakespeare, characters as tokens (nanoGPT's shakespeare-char recipe, fewer steps).
                """);
        Path best = model(ctx, runDir);
        Generator g = Generator.load(best, msg -> { });
        String sample = g.generate("ROMEO:", GenerationConfig.builder().maxNewTokens(ctx.scaled(200)).doSample(true)
                .temperature(0.8).topK(0).seed(ctx.seed()).build()).get(0).text();
        ctx.out().println("\n---- sample (temperature 0.8) ----\nROMEO:" + sample + "\n----");
        Path loss = runDir.resolve("loss.png");
        ctx.out().println("loss curve: " + loss + " (more steps: autoreg example transformer --scale 7, "
                + "or autoreg quickstart for the full 2,000)");
        List<Double> evals = new ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            var o = json.readTree(line);
            if ("eval".equals(o.path("event").asText())) {
                evals.add(o.path("val_loss").asDouble());
            }
        }
        double first = evals.get(0);
        double last = evals.get(evals.size() - 1);
        return new Result().put("first_val_loss", first).put("last_val_loss", last).put("sample", sample).picture(loss);
    }
}
