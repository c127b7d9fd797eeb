package org.autoreg.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.autoreg.core.Provenance;
import org.autoreg.core.data.CorpusCatalog;

/**
 * {@code train --reproduce RUN_DIR --out NEW_DIR}: trains a recorded run again from its
 * {@code config.json} and {@code provenance.json} (the same corpus, checked by its SHA-256; the
 * same seed; the same engine thread count) and compares the two {@code metrics.jsonl} line by
 * line, every field but the timings ({@code elapsed_s}, {@code tokens_per_s}).
 *
 * <p>Exit codes: 0 reproduced exactly, 1 ran but differs (the report names the first differing
 * line and the recorded conditions that differ), 2 cannot run (no provenance, corpus missing or
 * changed).
 */
public final class Reproduction {
    public static final int EXACT = 0;
    public static final int DIFFERS = 1;
    public static final int CANNOT_RUN = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields of a metrics line that measure time, not what was computed. */
    private static final List<String> TIMINGS = List.of("elapsed_s", "tokens_per_s");

    /** The verdict: an exit code and the lines that explain it. */
    public record Outcome(int exitCode, List<String> report) {
    }

    private Reproduction() {
    }

    /**
     * Re-runs {@code recorded} into {@code fresh}. {@code threads}: the fast engine's workers, or
     * null for the recorded count (another count checks whether the results depend on it).
     */
    public static Outcome run(Path recorded, Path fresh, Integer threads, CorpusCatalog catalog, PrintStream out,
            Progress.Factory progress) throws IOException {
        List<String> report = new ArrayList<>();
        Path configFile = recorded.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            return cannot(recorded + " has no config.json; it is not a run directory");
        }
        ObjectNode provenance = Provenance.read(recorded);
        if (provenance == null || !provenance.path("run").isObject()) {
            return cannot(recorded + " has no provenance.json (it was trained before runs recorded one); re-run it "
                    + "with --config " + configFile + " and compare metrics.jsonl yourself");
        }
        JsonNode run = provenance.get("run");
        String sha = run.path("corpus_sha256").asText();
        Path corpus = Path.of(run.path("corpus").asText());
        if (!Files.isRegularFile(corpus)) {
            String name = JSON.readTree(configFile.toFile()).path("corpus").asText();
            Path fromCatalog = catalogCorpus(catalog, name);
            if (fromCatalog == null) {
                return cannot("corpus missing: " + corpus + " (SHA-256 " + sha + ") is not there; put the file back, "
                        + "or for a catalogue corpus point --data-mirror at a directory holding it");
            }
            corpus = fromCatalog;
        }
        String now = CorpusCatalog.sha256(corpus);
        if (!now.equals(sha)) {
            return cannot("corpus changed: " + corpus + " has SHA-256 " + now + ", but the run was trained on "
                    + sha + "; restore the original file to reproduce the run");
        }
        ObjectNode recordedFinal = readObject(recorded.resolve("final.json"));
        List<String> sets = new ArrayList<>(List.of("corpus=" + corpus));
        if (recordedFinal != null && "max_time".equals(recordedFinal.path("stop").asText())) {
            // a time limit stops wherever the clock says: stop at the recorded iteration instead
            sets.add("max_time_s=0");
            sets.add("max_iters=" + recordedFinal.path("iters").asInt());
        }
        TrainConfig cfg = TrainConfig.load(configFile.toString(), sets);
        int workers = threads != null ? threads : provenance.at("/threads/engine").asInt(1);
        out.printf("reproducing %s into %s (seed %d, %d engine threads, corpus %s)%n", recorded, fresh, cfg.seed(),
                workers, corpus);
        new Trainer(cfg, fresh, catalog, out, progress, workers).run(false);

        List<String> differs = Provenance.differences(provenance, Provenance.read(fresh));
        List<ObjectNode> a = new Metrics(recorded.resolve("metrics.jsonl")).read();
        List<ObjectNode> b = new Metrics(fresh.resolve("metrics.jsonl")).read();
        int code = EXACT;
        String first = firstDifference(a, b);
        if (a.isEmpty()) {
            report.add("the recorded run has no metrics lines; nothing to compare");
            code = DIFFERS;
        } else if (first == null) {
            report.add("reproduced exactly (" + a.size() + " lines)"
                    + (b.size() > a.size() ? "; the re-run logged " + (b.size() - a.size()) + " more" : ""));
        } else {
            report.add(first);
            code = DIFFERS;
        }
        if (differs.isEmpty()) {
            report.add("recorded conditions: all the same (build, Java, BLAS, CPU, threads, corpus, seed)");
        } else {
            report.add("recorded conditions that differ:");
            differs.forEach(d -> report.add("  " + d));
        }
        return new Outcome(code, report);
    }

    private static Outcome cannot(String why) {
        return new Outcome(CANNOT_RUN, List.of("cannot reproduce: " + why));
    }

    /** The file the config's corpus setting names now (a path, or a catalogue corpus found again), or null. */
    private static Path catalogCorpus(CorpusCatalog catalog, String name) {
        try {
            Path p = catalog.fileOrCorpus(name);
            return Files.isRegularFile(p) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ObjectNode readObject(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        JsonNode n = JSON.readTree(f.toFile());
        return n instanceof ObjectNode o ? o : null;
    }

    /** "line L (iteration I, event): field recorded → now, ..." for the first line that differs; null if none. */
    static String firstDifference(List<ObjectNode> recorded, List<ObjectNode> now) {
        for (int i = 0; i < recorded.size(); i++) {
            ObjectNode r = withoutTimings(recorded.get(i));
            if (i >= now.size()) {
                return "differs at line " + (i + 1) + ": the re-run stopped after " + now.size() + " lines; recorded "
                        + r;
            }
            ObjectNode n = withoutTimings(now.get(i));
            if (!r.equals(n)) {
                List<String> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode other = n.get(e.getKey());
                    if (!e.getValue().equals(other)) {
                        fields.add(e.getKey() + " " + e.getValue() + " → " + (other == null ? "(absent)" : other));
                    }
                }
                n.fieldNames().forEachRemaining(k -> {
                    if (!r.has(k)) {
                        fields.add(k + " (absent) → " + n.get(k));
                    }
                });
                return "differs at line " + (i + 1) + " (iteration " + r.path("iter").asText() + ", "
                        + r.path("event").asText() + "): " + String.join(", ", fields);
            }
        }
        return null;
    }

    private static ObjectNode withoutTimings(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        TIMINGS.forEach(c::remove);
        return c;
    }
}
