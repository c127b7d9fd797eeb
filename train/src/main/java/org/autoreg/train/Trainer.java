package org.autoreg.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.Provenance;
import org.autoreg.core.Rng;
import org.autoreg.core.SystemStats;
import org.autoreg.core.data.Batch;
import org.autoreg.core.data.BatchSampler;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.core.data.PreparedData;
import org.autoreg.core.data.SequentialBatches;
import org.autoreg.core.data.TokenDataset;
import org.autoreg.core.engine.Engine;
import org.autoreg.core.io.Word2VecFormat;
import org.autoreg.core.nn.Gpt;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.io.JsonFiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop (nanoGPT's train.py): batches from a prepared corpus, AdamW with warm-up and
 * cosine decay, gradient accumulation and clipping, evaluation every {@code eval_interval}
 * steps, checkpoints of the latest and the best model, metrics, a loss plot, and exact resume.
 *
 * <p>Run directory:
 * <pre>
 * config.json     the resolved config
 * provenance.json what produced the run: build, Java, BLAS, CPU, threads, corpus and tokenizer hashes, seed,
 *                 times ({@link Provenance}); best/ and latest/ carry a copy
 * data/           the prepared corpus (train.bin, val.bin, tokenizer, meta.json)
 * latest/         model directory + training_state/ (saved at every evaluation and at a stop)
 * best/           model directory of the lowest validation loss
 * metrics.jsonl   one JSON object per logged step and per evaluation
 * final.json      the summary
 * loss.png        train and validation loss curves
 * </pre>
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig cfg;
    private final Path runDir;
    private final CorpusCatalog catalog;
    private final PrintStream out;
    private final Progress.Factory progressFactory;
    private final int threads;
    private ObjectNode provenance;
    private Path corpusPath;            // the corpus file of a new run (null when resuming)

    /** How a run ended. */
    public enum Stop {
        MAX_ITERS, MAX_TIME, NAN, INTERRUPTED
    }

    /** What a run produced. */
    public record Result(Stop stop, int iters, double finalValLoss, double fullValLoss, double bestValLoss, int bestIter, double msPerIter,
            double tokensPerSecond, double wallSeconds, long peakRssMb, String sample, ObjectNode summary) {
    }

    /** A trainer whose fast engine uses {@link Engine#threads()} workers. */
    public Trainer(TrainConfig cfg, Path runDir, CorpusCatalog catalog, PrintStream out, Progress.Factory progress) {
        this(cfg, runDir, catalog, out, progress, Engine.threads());
    }

    /** A trainer whose fast engine uses {@code threads} workers (recorded in the provenance). */
    public Trainer(TrainConfig cfg, Path runDir, CorpusCatalog catalog, PrintStream out, Progress.Factory progress,
            int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.cfg = cfg;
        this.runDir = runDir;
        this.catalog = catalog;
        this.out = out;
        this.progressFactory = progress;
        this.threads = threads;
    }

    Path latest() {
        return runDir.resolve("latest");
    }

    Path best() {
        return runDir.resolve("best");
    }

    /**
     * Copies word vectors (word2vec C text or binary file) into the token embedding table, row by
     * row for the tokens whose text (a byte-level token's decoded form, stripped) has a vector;
     * the other rows keep their random initialisation.
     */
    private void initEmbeddings(Gpt model, Tokenizer tok, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("init_embeddings: " + file + " is not a file (expected word2vec vectors "
                    + "from 'autoreg word2vec train')");
        }
        Word2VecFormat.Vectors vectors = Word2VecFormat.read(file);
        int nEmbd = model.config().nEmbd();
        if (vectors.dim() != nEmbd) {
            throw new IllegalArgumentException("init_embeddings: " + file + " holds " + vectors.dim() + "-dimensional "
                    + "vectors but the model's n_embd is " + nEmbd + "; train the vectors with --size " + nEmbd
                    + " or set n_embd=" + vectors.dim());
        }
        List<String> keys = new java.util.ArrayList<>();
        for (int id = 0; id < tok.vocabSize(); id++) {
            String text = tok.decode(new int[] {id}, false).strip();
            keys.add(text.isEmpty() ? tok.idToToken(id) : text);
        }
        float[][] rows = vectors.alignTo(keys);
        org.nd4j.linalg.api.ndarray.INDArray wte = model.params().get(Gpt.tokenEmbedding(model.config()));
        int found = 0;
        for (int id = 0; id < rows.length; id++) {
            if (rows[id] != null) {
                wte.putRow(id, org.nd4j.linalg.factory.Nd4j.create(rows[id]).castTo(wte.dataType()));
                found++;
            }
        }
        if (found == 0) {
            throw new IllegalArgumentException("init_embeddings: none of the " + rows.length + " tokens has a vector in "
                    + file + "; the vectors were trained on other words (e.g. word-level vectors for a char-level model)");
        }
        out.printf("init_embeddings: %d of %d token embeddings from %s%n", found, rows.length, file);
    }

    /** Trains from scratch ({@code resume} false) or continues the run in the run directory. */
    public Result run(boolean resume) throws IOException {
        long wallStart = System.nanoTime();
        Files.createDirectories(runDir);
        if (!resume && Files.exists(latest())) {
            throw new IllegalArgumentException(runDir + " already holds a run (" + latest().getFileName() + "/); "
                    + "pass --resume to continue it, or choose another --out");
        }
        if (resume && !Files.isDirectory(latest())) {
            throw new IllegalArgumentException(runDir + " has no checkpoint to resume from (no latest/); start the run "
                    + "without --resume");
        }
        JsonFiles.write(runDir.resolve("config.json"), cfg.toNode());
        PreparedData data = prepareData(resume);
        provenance = startProvenance(data, resume);
        ModelDirectory.Loaded init = cfg.initFrom() != null && !resume ? initFrom() : null;
        ModelConfig mc = cfg.modelConfig(init != null ? init.model().config().vocabSize()
                : cfg.initFrom() != null ? ModelDirectory.inspect(latest()).config().path("vocab_size").asInt()
                : data.tokenizer().vocabSize());
        if (init != null && !sameShape(init.model().config(), mc)) {
            throw new IllegalArgumentException("init_from: " + cfg.initFrom() + " has model config "
                    + init.model().config() + " but this run's is " + mc + "; take the shape keys from the checkpoint "
                    + "(train --init-from does)");
        }
        for (TokenDataset split : List.of(data.train(), data.val())) {
            if (split.size() <= cfg.blockSize()) {
                throw new IllegalArgumentException("block_size " + cfg.blockSize() + " needs more than that many tokens "
                        + "in each split, but " + split.file().getFileName() + " holds " + split.size()
                        + "; use a larger corpus, a smaller block_size or a larger val_fraction");
            }
        }
        Gpt model = init != null ? new Gpt(mc, init.model().params().copy(init.model().params().dtype())) : new Gpt(mc);
        if (cfg.initEmbeddings() != null && !resume) {
            initEmbeddings(model, data.tokenizer(), Path.of(cfg.initEmbeddings()));
        }
        TrainingEngine engine = TrainingEngine.create(cfg.engine(), model, cfg.batchSize(), cfg.blockSize(), cfg.seed(),
                threads);
        int[] sizes = Arrays.stream(engine.params()).mapToInt(a -> a.length).toArray();
        AdamW opt = new AdamW(sizes, AdamW.decayMask(engine.names(), engine.shapes(), cfg.decayEmbeddings()), cfg.beta1(),
                cfg.beta2(), 1e-8, cfg.weightDecay());
        BatchSampler sampler = new BatchSampler(data.train(), cfg.batchSize(), cfg.blockSize(),
                Rng.derive(cfg.seed(), "train-batches"));
        LrSchedule schedule = LrSchedule.of(cfg);
        Metrics metrics = new Metrics(runDir.resolve("metrics.jsonl"));

        int startIter = 0;
        double best = Double.POSITIVE_INFINITY;
        int bestIter = -1;
        double elapsedBefore = 0;
        boolean evaluatedAtStart = false;
        if (resume) {
            ModelDirectory.Loaded ck = ModelDirectory.load(latest());
            if (!ck.model().config().equals(mc)) {
                throw new IllegalArgumentException("the checkpoint in " + latest() + " has model config "
                        + ck.model().config() + ", not the run's " + mc + "; resume with the run's own config");
            }
            ModelDirectory.TrainingState ts = ModelDirectory.loadTrainingState(latest());
            if (ts == null) {
                throw new IOException(latest() + " has no training_state/; it cannot be resumed exactly");
            }
            engine.copyFrom(ck.model().params());
            float[][] m = new float[sizes.length][];
            float[][] v = new float[sizes.length][];
            List<String> names = engine.names();
            for (int i = 0; i < names.size(); i++) {
                m[i] = tensor(ts, "m." + names.get(i));
                v[i] = tensor(ts, "v." + names.get(i));
            }
            ObjectNode s = ts.state();
            opt.restore(s.path("adam_steps").asLong(), m, v);
            sampler.restore(longs(s.get("sampler_rng")));
            engine.restoreDropoutState(longs(s.get("dropout_rng")));
            startIter = s.path("iter").asInt();
            best = s.path("best_val_loss").isNumber() ? s.path("best_val_loss").asDouble() : Double.POSITIVE_INFINITY;
            bestIter = s.path("best_iter").asInt(-1);
            elapsedBefore = s.path("elapsed_s").asDouble();
            evaluatedAtStart = s.path("evaluated").asBoolean(false);
            metrics.truncateForResume(startIter, evaluatedAtStart);
            out.printf("resuming %s at iteration %d (best val loss %.4f at %d)%n", runDir, startIter, best, bestIter);
        } else {
            metrics.reset();
            out.printf("training %s: %,d parameters, %,d train / %,d val tokens, vocabulary %d, %s engine%n", runDir,
                    model.params().count(), data.train().size(), data.val().size(), mc.vocabSize(), cfg.engine());
        }

        List<Double> iterMs = new ArrayList<>();
        Stop stop = Stop.MAX_ITERS;
        double lastVal = Double.NaN;
        int it = startIter;
        String stopMessage = null;
        try (Progress progress = progressFactory.create(cfg.maxIters(), startIter)) {
            for (; ; it++) {
                double elapsed = elapsedBefore + (System.nanoTime() - wallStart) / 1e9;
                boolean evalNow = (it % cfg.evalInterval() == 0 || it == cfg.maxIters()) && !(evaluatedAtStart
                        && it == startIter);
                if (evalNow) {
                    double[] losses = evaluate(engine, data, it);
                    lastVal = losses[1];
                    boolean improved = losses[1] < best;
                    if (improved) {
                        best = losses[1];
                        bestIter = it;
                    }
                    metrics.eval(it, schedule.at(Math.min(it, cfg.maxIters())), losses[0], losses[1], elapsed);
                    progress.eval(it, losses[0], losses[1]);
                    saveLatest(engine, model, data, opt, sampler, it, best, bestIter, elapsed, true);
                    if (improved) {
                        saveModel(best(), engine, model, data);
                    }
                }
                if (it >= cfg.maxIters()) {
                    break;
                }
                if (cfg.maxTimeS() > 0 && elapsed >= cfg.maxTimeS()) {
                    stop = Stop.MAX_TIME;
                    saveLatest(engine, model, data, opt, sampler, it, best, bestIter, elapsed, evalNow);
                    stopMessage = String.format("stopped at iteration %d: max_time_s %.0f reached; continue with "
                            + "--resume (and a larger max_time_s)", it, cfg.maxTimeS());
                    break;
                }
                long t0 = System.nanoTime();
                double lr = schedule.at(it);
                double loss = 0;
                for (int micro = 0; micro < cfg.gradientAccumulationSteps(); micro++) {
                    Batch b = sampler.next();
                    loss += engine.forwardBackward(b.x(), b.y(), micro > 0);
                }
                loss /= cfg.gradientAccumulationSteps();
                if (!Double.isFinite(loss)) {
                    stop = Stop.NAN;
                    stopMessage = String.format("the loss is %s at iteration %d (learning rate %.3g); training stopped "
                            + "without applying this step. The last good checkpoint is %s (iteration %d). Lower "
                            + "learning_rate or set grad_clip, then --resume.", loss, it, lr, latest(),
                            lastCheckpointIter(it));
                    metrics.nan(it, lr, elapsed);
                    break;
                }
                if (cfg.gradientAccumulationSteps() > 1) {
                    float scale = 1f / cfg.gradientAccumulationSteps();
                    for (float[] g : engine.grads()) {
                        for (int k = 0; k < g.length; k++) {
                            g[k] *= scale;
                        }
                    }
                }
                double norm = AdamW.clipGlobalNorm(engine.grads(), cfg.gradClip());
                opt.step(engine.params(), engine.grads(), lr);
                double ms = (System.nanoTime() - t0) / 1e6;
                iterMs.add(ms);
                double tps = cfg.tokensPerIter() / (ms / 1000);
                if (it % cfg.logIntervalIters() == 0) {
                    metrics.train(it, lr, loss, norm, tps, elapsedBefore + (System.nanoTime() - wallStart) / 1e9);
                }
                progress.step(it + 1, loss, tps);
            }
        }
        if (stopMessage != null) {
            out.println(stopMessage);
        }
        double wall = elapsedBefore + (System.nanoTime() - wallStart) / 1e9;
        double[] sorted = iterMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double medianMs = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
        double fullVal = Double.NaN;
        if (stop == Stop.MAX_ITERS) {
            fullVal = evaluateAll(engine, data.val());
            out.printf("validation loss over the whole val split (%,d tokens): %.4f%n", data.val().size(), fullVal);
        }
        String sample = "";
        if (stop == Stop.MAX_ITERS && cfg.sampleTokens() > 0) {
            engine.copyTo(model.params());
            engine = null;                 // the sampler's engine takes their place (a 124 M model's
            opt = null;                    // parameters, gradients and moments: 2 GB)
            sample = TextSampler.sample(model, data.tokenizer(), cfg.sampleTokens(), 1.0,
                    Rng.derive(cfg.seed(), "sample"));
        }
        ObjectNode run = (ObjectNode) provenance.get("run");
        run.put("ended_at", java.time.Instant.now().toString()).put("stop", stop.toString().toLowerCase(
                java.util.Locale.ROOT)).put("iters", it);
        JsonFiles.write(runDir.resolve(Provenance.FILE), provenance);
        ObjectNode summary = JSON.createObjectNode();
        summary.put("stop", stop.toString().toLowerCase(java.util.Locale.ROOT)).put("iters", it)
                .put("final_val_loss", lastVal).put("val_loss_full_split", fullVal).put("best_val_loss", best)
                .put("best_iter", bestIter)
                .put("ms_per_iter_median", round(medianMs)).put("tokens_per_s_median", round(cfg.tokensPerIter()
                        / (medianMs / 1000))).put("peak_rss_mb", SystemStats.peakRssMb()).put("wall_s", round(wall))
                .put("engine", cfg.engine()).put("threads", threads)
                .put("parameters", model.params().count());
        summary.set("provenance", provenanceSummary(provenance));
        summary.set("config", cfg.toNode());
        JsonFiles.write(runDir.resolve("final.json"), summary);
        LossPlot.write(runDir.resolve("loss.png"), metrics.read(), "autoreg — " + runDir.getFileName());
        return new Result(stop, it, lastVal, fullVal, best, bestIter, medianMs, cfg.tokensPerIter() / (medianMs / 1000), wall,
                SystemStats.peakRssMb(), sample, summary);
    }

    /** The init_from checkpoint (autoreg or Hugging Face directory). */
    private ModelDirectory.Loaded initFrom() throws IOException {
        Path dir = ModelDirectory.resolve(Path.of(cfg.initFrom()), out::println);
        ModelDirectory.Loaded m = ModelDirectory.load(dir);
        out.printf("init_from: %s (%s, %,d parameters); fresh optimizer and schedule%n", dir,
                m.model().config().architecture().jsonName(), m.model().params().count());
        return m;
    }

    /**
     * The same weights' shapes: everything but dropout and seed, and for llama (rotary positions,
     * no position table) the context length, which a fine-tuning run may shorten.
     */
    private static boolean sameShape(ModelConfig a, ModelConfig b) {
        ModelConfig x = a.withDropout(0).withSeed(0);
        ModelConfig y = b.withDropout(0).withSeed(0);
        if (x.architecture() == ModelConfig.Architecture.LLAMA) {
            y = y.withBlockSize(x.blockSize());
        }
        return x.equals(y);
    }

    /**
     * The run's provenance, written now: this process's environment and the run's facts (engine,
     * seed, corpus path and SHA-256, tokenizer and its SHA-256, start time). A resumed run keeps
     * the provenance it started with and adds the resume, with the conditions that differ.
     */
    private ObjectNode startProvenance(PreparedData data, boolean resume) throws IOException {
        ObjectNode now = Provenance.environment(threads);
        String started = java.time.Instant.now().toString();
        ObjectNode recorded = resume ? Provenance.read(runDir) : null;
        ObjectNode p;
        if (recorded != null && recorded.path("run").isObject()) {
            p = recorded;
            ((ObjectNode) p.get("run")).putNull("ended_at");
            ArrayNode resumes = p.has("resumes") ? (ArrayNode) p.get("resumes") : p.putArray("resumes");
            ObjectNode r = resumes.addObject().put("started_at", started).put("at_iter", lastCheckpointIter(0));
            ArrayNode differs = r.putArray("differs");
            now.set("run", p.get("run"));
            Provenance.differences(p, now).forEach(differs::add);
        } else {
            p = now;
            ObjectNode run = p.putObject("run");
            run.put("engine", cfg.engine()).put("seed", cfg.seed()).put("init_from", cfg.initFrom())
                    .put("corpus", corpusPath == null ? cfg.corpus() : corpusPath.toString())
                    .put("corpus_sha256", data.meta().path("corpus_sha256").asText())
                    .put("tokenizer", cfg.tokenizer())
                    .put("tokenizer_sha256", data.meta().path("tokenizer_sha256").asText())
                    .put("started_at", started).putNull("ended_at");
            if (resume) {
                run.put("note", "resumed by a version that records provenance; the start was not recorded");
            }
        }
        JsonFiles.write(runDir.resolve(Provenance.FILE), p);
        return p;
    }

    /** The provenance's main facts, for final.json. */
    private static ObjectNode provenanceSummary(ObjectNode p) {
        ObjectNode s = JSON.createObjectNode();
        s.put("autoreg", p.at("/autoreg/version").asText() + " " + p.at("/autoreg/git_commit").asText()
                + ("true".equals(p.at("/autoreg/git_dirty").asText()) ? " (dirty)" : ""));
        s.put("java", p.at("/java/vendor").asText() + " " + p.at("/java/version").asText());
        s.put("blas", p.at("/nd4j/blas").asText());
        s.put("cpu", p.at("/cpu/model").asText() + " [" + p.at("/cpu/flags").asText() + "]");
        s.put("threads", p.at("/threads/engine").asInt());
        s.put("corpus_sha256", p.at("/run/corpus_sha256").asText());
        s.put("started_at", p.at("/run/started_at").asText());
        s.put("resumes", p.path("resumes").size());
        return s;
    }

    private int lastCheckpointIter(int fallback) {
        try {
            return ModelDirectory.loadTrainingState(latest()).state().path("iter").asInt(fallback);
        } catch (IOException | NullPointerException e) {
            return fallback;
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private PreparedData prepareData(boolean resume) throws IOException {
        Path dataDir = runDir.resolve("data");
        boolean prepared = Files.isRegularFile(dataDir.resolve("meta.json"));
        if (resume && !prepared) {
            throw new IOException(dataDir + " is missing; the run directory is incomplete");
        }
        if (resume) {
            return PreparedData.open(dataDir);   // the corpus path is in the recorded provenance
        }
        Path corpus = catalog.fileOrCorpus(cfg.corpus());
        corpusPath = corpus.toAbsolutePath().normalize();
        if (prepared) {
            return PreparedData.open(dataDir);
        }
        String tokenizer = cfg.initFrom() != null                 // a checkpoint keeps its own tokenizer
                ? ModelDirectory.resolve(Path.of(cfg.initFrom()), s -> { }).toString() : cfg.tokenizer();
        out.printf("preparing %s with the %s tokenizer ...%n", corpus, tokenizer);
        PreparedData d = PreparedData.prepare(corpus, tokenizer, dataDir, cfg.valFraction());
        d.specialTokenWarning().ifPresent(w -> out.println("warning: " + w));
        return d;
    }

    /** Mean loss over eval_iters random batches of each split, drawn from a stream of the run seed and the step. */
    private double[] evaluate(TrainingEngine engine, PreparedData data, int it) {
        double[] out = new double[2];
        int k = 0;
        for (TokenDataset split : List.of(data.train(), data.val())) {
            BatchSampler s = new BatchSampler(split, cfg.batchSize(), cfg.blockSize(),
                    Rng.derive(cfg.seed(), "eval-batches", it, k));
            double sum = 0;
            for (int i = 0; i < cfg.evalIters(); i++) {
                Batch b = s.next();
                sum += engine.loss(b.x(), b.y());
            }
            out[k++] = sum / cfg.evalIters();
        }
        return out;
    }

    /** Mean loss over every full window of {@code split}, in order: the precise figure, free of sampling noise. */
    private double evaluateAll(TrainingEngine engine, TokenDataset split) {
        double sum = 0;
        long n = 0;
        for (Batch b : new SequentialBatches(split, cfg.batchSize(), cfg.blockSize())) {
            sum += engine.loss(b.x(), b.y());
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private void saveModel(Path dir, TrainingEngine engine, Gpt model, PreparedData data) throws IOException {
        engine.copyTo(model.params());
        ModelDirectory.save(dir, model, data.tokenizer(), null, null, provenance);
    }

    private void saveLatest(TrainingEngine engine, Gpt model, PreparedData data, AdamW opt, BatchSampler sampler,
            int iter, double best, int bestIter, double elapsed, boolean evaluated) throws IOException {
        engine.copyTo(model.params());
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        List<String> names = engine.names();
        for (int i = 0; i < names.size(); i++) {
            tensors.put("m." + names.get(i), Nd4j.createFromArray(opt.firstMoments()[i]));
            tensors.put("v." + names.get(i), Nd4j.createFromArray(opt.secondMoments()[i]));
        }
        ObjectNode s = JSON.createObjectNode();
        s.put("iter", iter).put("evaluated", evaluated).put("adam_steps", opt.steps()).put("elapsed_s", elapsed)
                .put("best_iter", bestIter);
        if (Double.isFinite(best)) {
            s.put("best_val_loss", best);
        } else {
            s.putNull("best_val_loss");
        }
        putLongs(s.putArray("sampler_rng"), sampler.state());
        putLongs(s.putArray("dropout_rng"), engine.dropoutState());
        ModelDirectory.save(latest(), model, data.tokenizer(), null, new ModelDirectory.TrainingState(tensors, s),
                provenance);
    }

    private static void putLongs(ArrayNode a, long[] values) {
        for (long v : values) {
            a.add(v);
        }
    }

    private static long[] longs(JsonNode a) {
        if (a == null || !a.isArray()) {
            return new long[0];
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    private static float[] tensor(ModelDirectory.TrainingState ts, String name) throws IOException {
        INDArray a = ts.tensors().get(name);
        if (a == null) {
            throw new IOException("the training state lacks " + name + "; the checkpoint is incomplete");
        }
        return org.autoreg.core.nn.Params.floats(a);
    }

}
