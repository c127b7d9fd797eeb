package org.autoreg.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.train.Progress;
import org.autoreg.train.TrainConfig;
import org.autoreg.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code autoreg quickstart}: the main job. Trains nanoGPT's CPU recipe
 * ({@code shakespeare-char-baby}: 4 layers, 4 heads, 128 wide, 2,000 steps) on tinyshakespeare
 * and prints a sample. Run it again and it resumes an interrupted run, or reports the finished one.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Train nanoGPT's shakespeare-char-baby on tinyshakespeare and print a sample (about 10–15 "
                + "minutes on one laptop core; a second run resumes or reports).",
            "Offline: --corpus input.txt, or AUTOREG_DATA_MIRROR=DIR holding tinyshakespeare.txt."})
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--corpus", paramLabel = "FILE", description = "Use this text file instead of tinyshakespeare.")
    Path corpus;

    @Option(names = "--data-mirror", paramLabel = "DIR",
            description = "Directory holding tinyshakespeare.txt (else $" + CorpusCatalog.MIRROR_ENV + ", else download).")
    Path mirror;

    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR",
            description = "Run directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key, e.g. --set max_iters=500.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path finished = out.resolve("final.json");
        if (Files.isRegularFile(finished)) {
            JsonNode f = new ObjectMapper().readTree(finished.toFile());
            if ("max_iters".equals(f.path("stop").asText())) {
                System.out.printf("%s already holds a finished run: val loss %.4f (best %.4f at iteration %d), %,.0f "
                        + "tokens/s. Its model is in %s; its curves in %s.%nTo train again, pass another --out.%n",
                        out, f.path("final_val_loss").asDouble(), f.path("best_val_loss").asDouble(),
                        f.path("best_iter").asInt(), f.path("tokens_per_s_median").asDouble(), out.resolve("best"),
                        out.resolve("loss.png"));
                System.out.println(nextStep(out));
                return 0;
            }
        }
        boolean resume = Files.isDirectory(out.resolve("latest"));
        List<String> sets = new ArrayList<>(overrides);
        CorpusCatalog catalog = CorpusCatalog.fromEnvironment().withMirror(mirror);
        sets.add("corpus=" + (corpus != null ? corpus : catalog.resolve("tinyshakespeare")));
        TrainConfig cfg = resume ? TrainConfig.load(out.resolve("config.json").toString(), List.of())
                : TrainConfig.load("shakespeare-char-baby", sets);
        System.err.println(resume ? "autoreg quickstart: resuming " + out
                : "autoreg quickstart: training shakespeare-char-baby (nanoGPT's CPU recipe) into " + out);
        boolean terminal = System.console() != null && !"true".equals(System.getenv("CI"));
        Trainer.Result r = new Trainer(cfg, out, catalog, System.err,
                Progress.console(System.err, terminal, cfg.logIntervalIters())).run(resume);
        System.err.printf("done: val loss %.4f (best %.4f at iteration %d; nanoGPT reports 1.88), %,.0f tokens/s, %.0f s. "
                + "Model: %s; curves: %s%n", r.finalValLoss(), r.bestValLoss(), r.bestIter(), r.tokensPerSecond(),
                r.wallSeconds(), out.resolve("best"), out.resolve("loss.png"));
        if (!r.sample().isEmpty()) {
            System.out.println("---- a sample from the model ----");
            System.out.println(r.sample());
        }
        System.err.println(nextStep(out));
        return r.stop() == Trainer.Stop.NAN ? 1 : 0;
    }

    private static String nextStep(Path out) {
        return "Generate more: ./autoreg generate --model " + out.resolve("best")
                + " --prompt 'ROMEO:' --max-new-tokens 300 --stream";
    }
}
