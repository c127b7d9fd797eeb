package org.autoreg.train.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.tokenizer.cli.Cli;
import org.autoreg.core.engine.Engine;
import org.autoreg.train.Progress;
import org.autoreg.train.Reproduction;
import org.autoreg.train.Sweep;
import org.autoreg.train.TrainConfig;
import org.autoreg.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code autoreg train}: train a GPT from a built-in or JSON config. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a GPT (nanoGPT's training loop) and save it as a model directory.",
            "Example: autoreg train --config shakespeare-char-baby --out runs/baby",
            "Sweep:   autoreg train --config shakespeare-char-baby --sweep learning_rate=1e-3,3e-3 --out runs/lr",
            "Re-run:  autoreg train --reproduce runs/baby --out runs/baby-again"},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:trained (with --reproduce: reproduced exactly)", "1:the loss became NaN (with --reproduce: "
            + "ran, but the metrics differ)", "2:bad usage or input (with --reproduce: cannot run, e.g. the corpus is "
            + "missing or changed)"})
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

    @Option(names = "--init-from", paramLabel = "MODEL_DIR", description = "Start from this model's weights (an "
            + "autoreg or Hugging Face directory, or a run directory's best/), keeping its shape and tokenizer, with a "
            + "fresh optimizer and schedule (fine-tuning). Sets init_from.")
    Path initFrom;

    @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...", description = "Train one run per value (repeatable: "
            + "the grid of all combinations) into RUN_DIR/KEY=V1,.../, then compare them. Started again, a sweep skips "
            + "finished runs and resumes an interrupted one.")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--reproduce", paramLabel = "RECORDED_RUN", description = "Train a recorded run again into "
            + "--out (its config, corpus checked by SHA-256, seed and thread count) and compare the metrics line by "
            + "line.")
    Path reproduce;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads of the fast engine (default: "
            + "OMP_NUM_THREADS, else the cores; with --reproduce: the recorded count). Recorded in provenance.json.")
    Integer threads;

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
        if (threads != null && threads < 1) {
            throw new Cli.UsageException("--threads must be at least 1, got " + threads);
        }
        boolean terminal = System.console() != null && !"true".equals(System.getenv("CI"));
        CorpusCatalog catalog = CorpusCatalog.fromEnvironment().withMirror(mirror);
        if (reproduce != null) {
            if (config != null || resume || !sweeps.isEmpty() || !overrides.isEmpty() || corpus != null
                    || initEmbeddings != null) {
                throw new Cli.UsageException("--reproduce re-runs the recorded run as it was: give only --out (and "
                        + "--threads to try another thread count, --data-mirror for a catalogue corpus)");
            }
            Reproduction.Outcome o = Reproduction.run(reproduce, out, threads, catalog, System.err,
                    Progress.console(System.err, terminal, 100));
            o.report().forEach(System.out::println);
            return o.exitCode();
        }
        int workers = threads != null ? threads : Engine.threads();
        List<String> sets = new ArrayList<>(overrides);
        if (corpus != null) {
            sets.add("corpus=" + corpus);
        }
        if (initEmbeddings != null) {
            sets.add("init_embeddings=" + initEmbeddings);
        }
        if (initFrom != null) {
            if (resume) {
                throw new Cli.UsageException("--init-from starts a new run; --resume continues one (drop one of them)");
            }
            sets = initFromSets(initFrom, sets);
        }
        if (!sweeps.isEmpty()) {
            if (resume) {
                throw new Cli.UsageException("a sweep resumes by itself: run the same command again, without --resume");
            }
            if (config == null) {
                throw new Cli.UsageException("--sweep needs --config NAME|FILE, the config every run starts from");
            }
            List<Sweep.Axis> axes = new ArrayList<>();
            try {
                for (String s : sweeps) {
                    axes.add(Sweep.Axis.parse(s));
                }
                new Sweep(config, sets, axes, out, catalog, System.err, Progress.console(System.err, terminal, 100),
                        workers).run();
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException(e.getMessage());
            }
            return 0;
        }
        TrainConfig cfg;
        if (resume) {
            if (config != null) {
                throw new Cli.UsageException("--resume continues with the run's own config.json; drop --config");
            }
            for (String s : sets) {
                String key = key(s);
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
        Trainer trainer = new Trainer(cfg, out, catalog, System.err,
                Progress.console(System.err, terminal, cfg.logIntervalIters()), workers);
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

    /**
     * The shape and tokenizer of the checkpoint, then the user's own overrides: a --set that would
     * change the shape, or the tokenizer, is a usage error naming it.
     */
    private static List<String> initFromSets(Path dir, List<String> userSets) throws java.io.IOException {
        Path model = org.autoreg.core.ModelDirectory.resolve(dir, System.err::println);
        com.fasterxml.jackson.databind.JsonNode cfg = org.autoreg.core.ModelDirectory.inspect(model).config();
        List<String> shape = TrainConfig.shapeOf(cfg);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String s : userSets) {
            String key = key(s);
            if (key.equals("tokenizer") || key.equals("init_from")) {
                throw new Cli.UsageException("--set " + key + ": --init-from keeps the checkpoint's tokenizer and "
                        + "weights; drop the --set");
            }
            boolean rotary = "llama".equals(cfg.path("architecture").asText());
            for (String c : shape) {
                if (c.startsWith(key + "=") && !(rotary && key.equals("block_size"))) {   // RoPE: any context fits
                    String want = s.substring(s.indexOf('=') + 1).trim();
                    String have = c.substring(c.indexOf('=') + 1);
                    if (!sameValue(json, want, have)) {
                        throw new Cli.UsageException("--set " + s + " would change the shape of " + model + ", which "
                                + "has " + c + "; the architecture comes from the checkpoint: drop the --set");
                    }
                }
            }
        }
        List<String> out = new ArrayList<>(shape);
        out.addAll(userSets);
        out.add("init_from=" + model);
        out.add("tokenizer=" + model);
        return out;
    }

    /** The key of a {@code key=value} override. */
    private static String key(String set) {
        return set.contains("=") ? set.substring(0, set.indexOf('=')).trim() : set;
    }

    private static boolean sameValue(com.fasterxml.jackson.databind.ObjectMapper json, String a, String b) {
        try {
            com.fasterxml.jackson.databind.JsonNode x = json.readTree(a);
            com.fasterxml.jackson.databind.JsonNode y = json.readTree(b);
            if (x != null && y != null && x.isNumber() && y.isNumber()) {
                return x.asDouble() == y.asDouble();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // compare as text
        }
        return a.equalsIgnoreCase(b);
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
