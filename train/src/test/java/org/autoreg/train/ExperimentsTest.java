package org.autoreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.autoreg.core.Provenance;
import org.autoreg.core.data.CorpusCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provenance, --reproduce, sweeps and run comparison on tiny runs. */
class ExperimentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    private CorpusCatalog catalog() {
        return new CorpusCatalog(CorpusCatalog.BUILT_IN, tmp.resolve("cache"), null);
    }

    private Trainer.Result train(Path run, List<String> sets, boolean resume, int threads) throws IOException {
        TrainConfig cfg = TrainConfig.load(resume ? run.resolve("config.json").toString() : "shakespeare-char-baby", sets);
        return new Trainer(cfg, run, catalog(), QUIET, Progress.silent(), threads).run(resume);
    }

    private Reproduction.Outcome reproduce(Path recorded, Path fresh, Integer threads) throws IOException {
        return Reproduction.run(recorded, fresh, threads, catalog(), QUIET, Progress.silent());
    }

    private static JsonNode read(Path f) throws IOException {
        return JSON.readTree(f.toFile());
    }

    @Test
    void provenanceRecordsWhatTheRunUsed() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path run = tmp.resolve("run");
        train(run, TrainerTest.tiny(corpus, "max_iters=20", "seed=4242"), false, 2);
        JsonNode p = read(run.resolve(Provenance.FILE));
        assertEquals(2, p.at("/threads/engine").asInt(), "the engine's worker count");
        assertEquals(CorpusCatalog.sha256(corpus), p.at("/run/corpus_sha256").asText());
        assertEquals(corpus.toAbsolutePath().normalize().toString(), p.at("/run/corpus").asText());
        assertEquals(CorpusCatalog.sha256(run.resolve("data/tokenizer.json")), p.at("/run/tokenizer_sha256").asText());
        assertEquals(4242, p.at("/run/seed").asLong());
        assertEquals("fast", p.at("/run/engine").asText());
        assertEquals("max_iters", p.at("/run/stop").asText());
        assertEquals(System.getProperty("java.runtime.version"), p.at("/java/version").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), p.at("/cpu/cores").asInt());
        assertEquals("1.0.0-M2.1", p.at("/nd4j/version").asText());
        assertTrue(p.at("/nd4j/blas").asText().startsWith("OpenBLAS"), p.at("/nd4j/blas").asText());
        assertTrue(p.at("/autoreg/git_commit").asText().matches("[0-9a-f]{40}|unknown"), p.at("/autoreg").toString());
        assertTrue(p.at("/jvm_args").isArray());
        Instant start = Instant.parse(p.at("/run/started_at").asText());
        Instant end = Instant.parse(p.at("/run/ended_at").asText());
        assertFalse(end.isBefore(start));
        for (String model : List.of("best", "latest")) {     // model directories carry it
            assertEquals(p.at("/run/corpus_sha256"), read(run.resolve(model).resolve(Provenance.FILE))
                    .at("/run/corpus_sha256"), model);
        }
        JsonNode fin = read(run.resolve("final.json"));
        assertEquals(2, fin.at("/provenance/threads").asInt());
        assertEquals(p.at("/run/corpus_sha256"), fin.at("/provenance/corpus_sha256"));

        // a resume with another thread count keeps the start and records what changed
        train(run, List.of("max_iters=30"), true, 1);
        JsonNode q = read(run.resolve(Provenance.FILE));
        assertEquals(p.at("/run/started_at"), q.at("/run/started_at"));
        assertEquals(1, q.path("resumes").size());
        assertEquals(20, q.at("/resumes/0/at_iter").asInt());
        assertTrue(q.at("/resumes/0/differs").toString().contains("threads: 2 → 1"), q.at("/resumes/0").toString());
    }

    @Test
    void anUnchangedRunReproducesExactly() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path recorded = tmp.resolve("recorded");
        train(recorded, TrainerTest.tiny(corpus, "max_iters=30", "dropout=0.1"), false, 1);
        int lines = new Metrics(recorded.resolve("metrics.jsonl")).read().size();
        Reproduction.Outcome o = reproduce(recorded, tmp.resolve("again"), null);
        assertEquals(Reproduction.EXACT, o.exitCode(), String.join("\n", o.report()));
        assertEquals("reproduced exactly (" + lines + " lines)", o.report().get(0));
        assertTrue(o.report().get(1).startsWith("recorded conditions: all the same"), o.report().toString());
        assertEquals(1, read(tmp.resolve("again").resolve(Provenance.FILE)).at("/threads/engine").asInt(),
                "the recorded thread count is used");
    }

    @Test
    void anotherThreadCountIsNamedAndItsResultJudged() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path recorded = tmp.resolve("recorded");
        train(recorded, TrainerTest.tiny(corpus, "max_iters=30"), false, 1);
        Reproduction.Outcome o = reproduce(recorded, tmp.resolve("two"), 2);
        // whatever the verdict, it must agree with the metrics, and the changed condition is named
        List<String> a = TrainerTest.trainLosses(recorded);
        List<String> b = TrainerTest.trainLosses(tmp.resolve("two"));
        assertEquals(a.equals(b) ? Reproduction.EXACT : Reproduction.DIFFERS, o.exitCode(), o.report().toString());
        assertTrue(o.report().contains("  threads: 1 → 2"), o.report().toString());
    }

    @Test
    void theFirstDifferingLineIsReported() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path recorded = tmp.resolve("recorded");
        train(recorded, TrainerTest.tiny(corpus, "max_iters=30"), false, 1);
        // as if recorded on a machine whose arithmetic differs: line 5 (iteration 3's step) and the CPU
        Path metrics = recorded.resolve("metrics.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(metrics));
        JsonNode line5 = JSON.readTree(lines.get(4));
        assertEquals("train", line5.path("event").asText());
        assertEquals(3, line5.path("iter").asInt());
        double loss = line5.path("train_loss").asDouble();
        lines.set(4, lines.get(4).replace(Double.toString(loss), Double.toString(loss + 1e-6)));
        Files.write(metrics, lines);
        Path prov = recorded.resolve(Provenance.FILE);
        Files.writeString(prov, Files.readString(prov).replaceFirst("\"model\" ?: ?\"[^\"]*\"", "\"model\": \"Other CPU\""));

        Reproduction.Outcome o = reproduce(recorded, tmp.resolve("again"), null);
        assertEquals(Reproduction.DIFFERS, o.exitCode());
        assertTrue(o.report().get(0).startsWith("differs at line 5 (iteration 3, train): train_loss "
                + (loss + 1e-6) + " → " + loss), o.report().get(0));
        assertTrue(o.report().stream().anyMatch(l -> l.startsWith("  CPU: Other CPU → ")), o.report().toString());
    }

    @Test
    void aChangedOrMissingCorpusCannotRun() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path recorded = tmp.resolve("recorded");
        train(recorded, TrainerTest.tiny(corpus, "max_iters=10"), false, 1);
        Files.writeString(corpus, Files.readString(corpus) + "the king.\n");
        Reproduction.Outcome changed = reproduce(recorded, tmp.resolve("a"), null);
        assertEquals(Reproduction.CANNOT_RUN, changed.exitCode());
        assertTrue(changed.report().get(0).startsWith("cannot reproduce: corpus changed: " + corpus), changed.report()
                .toString());
        Files.delete(corpus);
        Reproduction.Outcome missing = reproduce(recorded, tmp.resolve("b"), null);
        assertEquals(Reproduction.CANNOT_RUN, missing.exitCode());
        assertTrue(missing.report().get(0).startsWith("cannot reproduce: corpus missing: " + corpus), missing.report()
                .toString());
        assertFalse(Files.exists(tmp.resolve("a").resolve("latest")), "nothing trained");
        Files.delete(recorded.resolve(Provenance.FILE));
        assertEquals(Reproduction.CANNOT_RUN, reproduce(recorded, tmp.resolve("c"), null).exitCode());
    }

    @Test
    void compareListsExactlyTheDifferingKeysAndDrawsTheCurves() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        train(tmp.resolve("runs/a"), TrainerTest.tiny(corpus, "max_iters=20", "learning_rate=0.01", "min_lr=0.001"),
                false, 1);
        train(tmp.resolve("runs/b"), TrainerTest.tiny(corpus, "max_iters=20", "learning_rate=0.003", "min_lr=0.001",
                "seed=9"), false, 1);
        RunComparison c = RunComparison.of(List.of(tmp.resolve("runs")));
        assertEquals(List.of("learning_rate", "seed"), c.differingKeys());
        assertEquals(2, c.runs().size());
        String table = c.table();
        assertTrue(table.contains("learning_rate") && table.contains("0.003") && table.contains("0.01"), table);
        assertTrue(table.contains("differing config keys: learning_rate, seed"), table);
        assertEquals(2, c.json().path("runs").size());
        assertTrue(c.json().at("/runs/0/final_val_loss").isNumber());

        Path png = tmp.resolve("compare.png");
        c.plot(png, "test");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "a PNG ImageIO reads");
        assertEquals(1000, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "not blank: " + colours.size() + " colours");

        assertThrows(IllegalArgumentException.class, () -> RunComparison.of(List.of(tmp.resolve("nothing"))));
    }

    @Test
    void aSweepRunsTheGridOnceAndSkipsFinishedRunsWhenStartedAgain() throws IOException {
        Path corpus = TrainerTest.corpus(tmp);
        Path dir = tmp.resolve("sweep");
        List<String> sets = TrainerTest.tiny(corpus, "max_iters=10");
        List<Sweep.Axis> axes = List.of(Sweep.Axis.parse("learning_rate=0.01,0.003"), Sweep.Axis.parse("dropout=0,0.1"));
        Sweep sweep = new Sweep("shakespeare-char-baby", sets, axes, dir, catalog(), QUIET, Progress.silent(), 1);
        List<Path> runs = sweep.run();
        assertEquals(List.of("learning_rate=0.01,dropout=0", "learning_rate=0.01,dropout=0.1",
                "learning_rate=0.003,dropout=0", "learning_rate=0.003,dropout=0.1"),
                runs.stream().map(p -> p.getFileName().toString()).toList());
        for (Path r : runs) {
            assertTrue(Files.isRegularFile(r.resolve("final.json")), r.toString());
        }
        assertTrue(Files.readString(dir.resolve("compare.txt")).contains("differing config keys: dropout, learning_rate"));
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
        sweep.run();
        List<String> events = Files.readAllLines(dir.resolve("sweep.jsonl"));
        assertEquals(4, events.stream().filter(l -> l.contains("\"event\":\"start\"")).count());
        assertEquals(4, events.stream().filter(l -> l.contains("\"event\":\"skip\"")).count());

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> new Sweep(
                "shakespeare-char-baby", sets, List.of(Sweep.Axis.parse("learning_rate=0.1,0.2")), dir, catalog(), QUIET,
                Progress.silent(), 1).run());
        assertTrue(other.getMessage().contains("holds another sweep"), other.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sweep.Axis.parse("learning_rat=1,2"))
                .getMessage().contains("not a config key"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sweep.Axis.parse("seed=1,,2"))
                .getMessage().contains("empty value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sweep("shakespeare-char-baby", sets,
                List.of(Sweep.Axis.parse("n_embd=16,32")), tmp.resolve("both"), catalog(), QUIET, Progress.silent(), 1))
                .getMessage().contains("both swept and set"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new Sweep(
                "shakespeare-char-baby", sets, List.of(Sweep.Axis.parse("weight_decay=0.1,-1")), tmp.resolve("bad"), catalog(),
                QUIET, Progress.silent(), 1).run());
        assertTrue(bad.getMessage().startsWith("sweep run weight_decay=-1: "), bad.getMessage());
        assertFalse(Files.exists(tmp.resolve("bad").resolve("weight_decay=0.1")), "checked before any run started");
    }
}
