package org.autoreg.train.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.tokenizer.cli.Cli;
import org.autoreg.train.Progress;
import org.autoreg.train.TrainConfig;
import org.autoreg.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autoreg train}: train a GPT from a built-in or JSON config. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a GPT (nanoGPT's training loop) and save it as a model directory.",
            "Example: autoreg train --config shakespeare-char-baby --out runs/baby"})
public final class TrainCommand implements Callable<Integer> {
    /** Keys that may change when resuming (they do not change what was learned so far). */
    private static final Set<String> RESUMABLE = Set.of("max_iters", "max_time_s", "log_interval", "sample_tokens",
            "eval_interval", "eval_iters");

    @Option(names = "--config", paramLabel = "NAME|FILE",
            description = "A built-in config (see --list) or a JSON file of config keys.")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable), "
            + "e.g. --set max_iters=500.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--corpus", paramLabel = "FILE", description = "Train on this text file (sets the corpus key).")
    Path corpus;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run directory (checkpoints, metrics, plot).")
    Path out;

    @Option(names = "--init-embeddings", paramLabel = "VECTORS", description = "Initialise the token embeddings "
            + "from word2vec vectors (C text or binary format; sets init_embeddings).")
    Path initEmbeddings;

    @Option(names = "--resume", description = "Continue the run in RUN_DIR from its latest checkpoint.")
    boolean resume;

    @Option(names = "--data-mirror", paramLabel = "DIR", description = "Directory holding catalogue corpora (else $"
            + CorpusCatalog.MIRROR_ENV + ").")
    Path mirror;

    @Option(names = "--list", description = "List the built-in configs and the config keys.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        if (list) {
            TrainConfig.presets().forEach((k, v) -> System.out.printf("%-24s %s%n", k, v));
            System.out.println("\nkeys (--set key=value, or a JSON file of them); defaults: nanoGPT's train.py, gpt2:");
            org.autoreg.train.TrainConfig.keyHelp().forEach((k, v) -> System.out.printf("  %-28s %s%n", k, v));
            return 0;
        }
        if (out == null) {
            throw new Cli.UsageException("--out RUN_DIR is required");
        }
        List<String> sets = new ArrayList<>(overrides);
        if (corpus != null) {
            sets.add("corpus=" + corpus);
        }
        if (initEmbeddings != null) {
            sets.add("init_embeddings=" + initEmbeddings);
        }
        TrainConfig cfg;
        if (resume) {
            if (config != null) {
                throw new Cli.UsageException("--resume continues with the run's own config.json; drop --config");
            }
            for (String s : sets) {
                String key = s.contains("=") ? s.substring(0, s.indexOf('=')).trim() : s;
                if (!RESUMABLE.contains(key)) {
                    throw new Cli.UsageException("--set " + key + " cannot change when resuming (allowed: "
                            + String.join(", ", RESUMABLE) + ")");
                }
            }
            Path saved = out.resolve("config.json");
            if (!Files.isRegularFile(saved)) {
                throw new IllegalArgumentException(out + " has no config.json; it is not a run directory");
            }
            cfg = loadConfig(saved.toString(), sets);
        } else {
            if (config == null) {
                throw new Cli.UsageException("--config NAME|FILE is required (built-in: "
                        + String.join(", ", TrainConfig.presets().keySet()) + ")");
            }
            cfg = loadConfig(config, sets);
        }
        boolean terminal = System.console() != null && !"true".equals(System.getenv("CI"));
        Trainer trainer = new Trainer(cfg, out, CorpusCatalog.fromEnvironment().withMirror(mirror), System.err,
                Progress.console(System.err, terminal, cfg.logIntervalIters()));
        Trainer.Result r = trainer.run(resume);
        System.err.printf("%s after %d iterations: val loss %.4f (best %.4f at iteration %d), %.1f ms/iter, %,.0f tokens/s, "
                + "%.0f s, peak RSS %d MB%n", r.stop().toString().toLowerCase(java.util.Locale.ROOT), r.iters(),
                r.finalValLoss(), r.bestValLoss(), r.bestIter(), r.msPerIter(), r.tokensPerSecond(), r.wallSeconds(),
                r.peakRssMb());
        System.err.printf("model: %s (best), %s (latest); metrics: %s, %s, %s%n", out.resolve("best"), out.resolve("latest"),
                out.resolve("metrics.jsonl"), out.resolve("final.json"), out.resolve("loss.png"));
        if (!r.sample().isEmpty()) {
            System.out.println("---- sample ----");
            System.out.println(r.sample());
        }
        return r.stop() == Trainer.Stop.NAN ? 1 : 0;
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(Cli.run(new TrainCommand(), args));
    }


    /** The config; a bad key or value is a usage error (exit code 2) with the config's own message. */
    private static TrainConfig loadConfig(String nameOrFile, List<String> sets) throws java.io.IOException {
        try {
            return TrainConfig.load(nameOrFile, sets);
        } catch (IllegalArgumentException e) {
            throw new Cli.UsageException(e.getMessage());
        }
    }
}
