package org.autoreg.core.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.engine.Engine;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.GptGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code autoreg model ...}: inspect model directories, benchmark the transformer. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect model directories; benchmark the GPT.",
        subcommands = {ModelCommand.Info.class, ModelCommand.Eval.class, ModelCommand.Bench.class})
public final class ModelCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Print what a model directory holds.")
    static final class Info implements Callable<Integer> {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() throws Exception {
            ModelDirectory.Info info = ModelDirectory.inspect(ModelDirectory.resolve(dir, System.err::println));
            if (info.formatVersion() == 0) {
                System.out.printf("%s: a Hugging Face transformers checkpoint (model_type %s), read as an autoreg "
                        + "model:%n", info.dir(), info.config().path("hf_model_type").asText());
            } else {
                System.out.printf("%s: %s model, %s, format %d%n", info.dir(), info.modelType(),
                        info.hasLmHead() ? "with an LM head (can generate)" : "no LM head (cannot generate)",
                        info.formatVersion());
            }
            if (info.config().has("n_layer")) {
                System.out.println("architecture: " + info.config().path("architecture").asText("gpt2"));
            }
            System.out.println(info.config().toPrettyString());
            var provenance = org.autoreg.core.Provenance.read(info.dir());
            if (provenance != null) {
                System.out.println("provenance (" + info.dir().resolve(org.autoreg.core.Provenance.FILE) + "):");
                org.autoreg.core.Provenance.summary(provenance).forEach(l -> System.out.println("  " + l));
            } else {
                System.out.println("provenance: none recorded (written by a version before provenance, or not by 'train')");
            }
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Mean loss of a model over a whole split of a prepared dataset (consecutive windows).")
    static final class Eval implements Callable<Integer> {
        @Parameters(paramLabel = "MODEL_DIR")
        Path dir;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "A prepared data directory.")
        Path data;

        @Option(names = "--split", defaultValue = "val", description = "train or val (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--batch", defaultValue = "12") int batch;

        @Override
        public Integer call() throws Exception {
            dir = ModelDirectory.resolve(dir, System.err::println);
            ModelDirectory.Loaded m = ModelDirectory.load(dir);
            org.autoreg.core.data.PreparedData d = org.autoreg.core.data.PreparedData.open(data);
            if (!d.meta().path("tokenizer_sha256").asText().equals(org.autoreg.core.data.CorpusCatalog.sha256(
                    dir.resolve("tokenizer.json")))) {
                throw new IllegalArgumentException(data + " was tokenized with another tokenizer than " + dir);
            }
            org.autoreg.core.data.TokenDataset ds = "train".equals(split) ? d.train() : d.val();
            int block = m.model().config().blockSize();
            Engine e = new Engine(m.model(), batch, block);
            double sum = 0;
            long n = 0;
            for (org.autoreg.core.data.Batch b : new org.autoreg.core.data.SequentialBatches(ds, batch, block)) {
                sum += e.evaluate(b.x(), b.y());
                n++;
            }
            System.out.printf("%s on %s/%s: mean loss %.4f over %,d windows of %d tokens%n", dir, data, split, sum / n,
                    n * batch, block);
            return 0;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Time forward+backward passes of the GPT (default: nanoGPT's baby shakespeare-char config). "
                    + "Set OMP_NUM_THREADS to choose the thread count.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "12") int batch;
        @Option(names = "--block", defaultValue = "64") int block;
        @Option(names = "--layers", defaultValue = "4") int layers;
        @Option(names = "--heads", defaultValue = "4") int heads;
        @Option(names = "--embd", defaultValue = "128") int embd;
        @Option(names = "--vocab", defaultValue = "65") int vocab;
        @Option(names = "--architecture", defaultValue = "gpt2", description = "gpt2 or llama (default: ${DEFAULT-VALUE})")
        String architecture;
        @Option(names = "--kv-heads", defaultValue = "0", description = "llama: key/value heads (default: --heads)")
        int kvHeads;
        @Option(names = "--dropout", defaultValue = "0") double dropout;
        @Option(names = "--warmup", defaultValue = "10") int warmup;
        @Option(names = "--iters", defaultValue = "50") int iters;
        @Option(names = "--engine", defaultValue = "fast",
                description = "fast (hand-written forward/backward) or samediff (the autodiff graph); default: ${DEFAULT-VALUE}")
        String engine;

        @Override
        public Integer call() throws Exception {
            ModelConfig c = ModelConfig.Architecture.parse(architecture) == ModelConfig.Architecture.LLAMA
                    ? ModelConfig.llama(vocab, block, layers, heads, kvHeads > 0 ? kvHeads : heads, embd, dropout, true,
                            1337)
                    : new ModelConfig(vocab, block, layers, heads, embd, dropout, false, true,
                            org.autoreg.core.nn.PositionalEncoding.Kind.LEARNED, 1337);
            Gpt gpt = new Gpt(c);
            GptGraph graph = engine.equals("samediff") ? gpt.graph(batch, block, true) : null;
            Engine fast = graph == null ? new Engine(gpt, batch, block, Engine.threads(), 1) : null;
            Rng rng = new Rng(1);
            double[] ms = new double[iters];
            for (int i = -warmup; i < iters; i++) {
                int[][] x = new int[batch][block];
                int[][] y = new int[batch][block];
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < block; t++) {
                        x[b][t] = rng.nextInt(vocab);
                        y[b][t] = rng.nextInt(vocab);
                    }
                }
                long t0 = System.nanoTime();
                if (graph != null) {
                    graph.step(x, y, rng);
                } else {
                    fast.step(x, y);
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] s = ms.clone();
            Arrays.sort(s);
            double median = s[s.length / 2];
            System.out.printf("%s %d layers, %d heads (%d kv), %d wide, block %d, batch %d, vocab %d, dropout %s: %,d "
                    + "parameters; %s engine%n", c.architecture().jsonName(), layers, heads, c.kvHeads(), embd, block,
                    batch, vocab, dropout, gpt.params().count(), engine);
            System.out.printf("forward+backward: median %.1f ms/iter (p10 %.1f, p90 %.1f) = %,.0f tokens/s; "
                    + "OMP_NUM_THREADS=%s%n", median, s[s.length / 10], s[s.length * 9 / 10],
                    batch * block / (median / 1000), System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
            System.out.printf("peak RSS %d MB, Java heap used %d MB%n", org.autoreg.core.SystemStats.peakRssMb(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            return 0;
        }
    }
}
