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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.autoreg.core.data.CorpusCatalog;
import org.autoreg.tokenizer.io.JsonFiles;

/**
 * {@code train --config X --sweep key=v1,v2 [--sweep key2=w1,w2] --out SWEEP_DIR}: the grid of
 * values, one run after another, into {@code SWEEP_DIR/key=v1,key2=w1/} (the first key varies
 * slowest). Every combination's config is checked before the first run starts.
 *
 * <p>Resumable: started again with the same arguments, a sweep skips the runs that finished
 * (they have {@code final.json}), resumes the one that was interrupted from its checkpoint, and
 * starts the rest. {@code sweep.json} records the arguments (a different sweep in the same
 * directory is refused); {@code sweep.jsonl} logs each run's start, resume, skip and finish.
 * At the end it writes the comparison ({@link RunComparison}): {@code compare.txt},
 * {@code compare.json} and the overlaid curves in {@code loss.png}.
 */
public final class Sweep {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One swept key and its values, in order. */
    public record Axis(String key, List<String> values) {
        public Axis {
            values = List.copyOf(values);
        }

        /** {@code key=v1,v2,...}; the key must be a config key and the values non-empty and distinct. */
        public static Axis parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--sweep takes KEY=V1,V2,... (e.g. learning_rate=1e-3,3e-3), not '"
                        + spec + "'");
            }
            String key = spec.substring(0, eq).trim();
            if (!TrainConfig.keys().contains(key)) {
                throw new IllegalArgumentException("--sweep " + key + ": not a config key (see autoreg train --list)");
            }
            List<String> values = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",", -1)) {
                String t = v.trim();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("--sweep " + key + ": an empty value in '" + spec + "'");
                }
                if (values.contains(t)) {
                    throw new IllegalArgumentException("--sweep " + key + ": the value " + t + " is listed twice");
                }
                values.add(t);
            }
            return new Axis(key, values);
        }
    }

    private final String config;
    private final List<String> sets;
    private final List<Axis> axes;
    private final Path dir;
    private final CorpusCatalog catalog;
    private final PrintStream out;
    private final Progress.Factory progress;
    private final int threads;

    /**
     * @param config  a built-in config name or a JSON file, as {@code --config}
     * @param sets    overrides applied to every run, before the swept values
     * @param threads the fast engine's workers in every run
     */
    public Sweep(String config, List<String> sets, List<Axis> axes, Path dir, CorpusCatalog catalog, PrintStream out,
            Progress.Factory progress, int threads) {
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one --sweep KEY=V1,V2,...");
        }
        Set<String> keys = new HashSet<>();
        for (Axis a : axes) {
            if (!keys.add(a.key())) {
                throw new IllegalArgumentException("--sweep " + a.key() + " is given twice; list all its values in one "
                        + "--sweep");
            }
            for (String s : sets) {
                if (s.startsWith(a.key() + "=")) {
                    throw new IllegalArgumentException(a.key() + " is both swept and set (--set " + s + "); drop one");
                }
            }
        }
        this.config = config;
        this.sets = List.copyOf(sets);
        this.axes = List.copyOf(axes);
        this.dir = dir;
        this.catalog = catalog;
        this.out = out;
        this.progress = progress;
        this.threads = threads;
    }

    /** The runs of the grid, by directory name ({@code key=v1,key2=w1}), with their overrides. */
    Map<String, List<String>> grid() {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        runs.put("", List.of());
        for (Axis a : axes) {
            Map<String, List<String>> next = new LinkedHashMap<>();
            runs.forEach((name, sets) -> {
                for (String v : a.values()) {
                    List<String> s = new ArrayList<>(sets);
                    s.add(a.key() + "=" + v);
                    String part = a.key() + "=" + v.replaceAll("[/\\\\\\s]", "_");
                    next.put(name.isEmpty() ? part : name + "," + part, s);
                }
            });
            runs = next;
        }
        return runs;
    }

    /** Runs (or skips, or resumes) every run of the grid, then writes the comparison. Returns the run directories. */
    public List<Path> run() throws IOException {
        Map<String, List<String>> grid = grid();
        Map<String, TrainConfig> configs = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {    // every value checked before any training
            List<String> s = new ArrayList<>(sets);
            s.addAll(e.getValue());
            try {
                configs.put(e.getKey(), TrainConfig.load(config, s));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("sweep run " + e.getKey() + ": " + ex.getMessage());
            }
        }
        Files.createDirectories(dir);
        checkSameSweep();
        List<Path> runs = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, TrainConfig> e : configs.entrySet()) {
            i++;
            Path run = dir.resolve(e.getKey());
            runs.add(run);
            String head = String.format("sweep run %d/%d %s", i, configs.size(), e.getKey());
            if (Files.isRegularFile(run.resolve("final.json"))) {
                out.println(head + ": finished before, skipped");
                log(e.getKey(), "skip");
                continue;
            }
            boolean resume = Files.isDirectory(run.resolve("latest"));
            TrainConfig cfg = resume ? TrainConfig.load(run.resolve("config.json").toString(), List.of()) : e.getValue();
            out.println(head + (resume ? ": resuming from its checkpoint" : ": starting"));
            log(e.getKey(), resume ? "resume" : "start");
            System.gc();                       // hand the last run's garbage back, then measure this run's own peak
            org.autoreg.core.SystemStats.resetPeakRss();
            Trainer.Result r = new Trainer(cfg, run, catalog, out, progress, threads).run(resume);
            log(e.getKey(), "finish");
            out.printf("%s: %s after %d iterations, val loss %.4f (best %.4f)%n", head,
                    r.stop().toString().toLowerCase(java.util.Locale.ROOT), r.iters(), r.finalValLoss(), r.bestValLoss());
        }
        RunComparison c = RunComparison.of(runs);
        String table = c.table();
        org.autoreg.tokenizer.io.AtomicFiles.writeString(dir.resolve("compare.txt"), table);
        JsonFiles.write(dir.resolve("compare.json"), c.json());
        c.plot(dir.resolve("loss.png"), "autoreg sweep — " + dir.getFileName());
        out.print(table);
        out.println("comparison: " + dir.resolve("compare.txt") + ", " + dir.resolve("compare.json") + ", "
                + dir.resolve("loss.png"));
        return runs;
    }

    /** Writes sweep.json, or checks that the one there records these arguments. */
    private void checkSameSweep() throws IOException {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("config", config);
        ArrayNode s = spec.putArray("set");
        sets.forEach(s::add);
        ObjectNode sw = spec.putObject("sweep");
        for (Axis a : axes) {
            ArrayNode vs = sw.putArray(a.key());
            a.values().forEach(vs::add);
        }
        Path f = dir.resolve("sweep.json");
        if (Files.isRegularFile(f)) {
            JsonNode before = JSON.readTree(f.toFile());
            if (!before.equals(spec)) {
                throw new IllegalArgumentException(dir + " holds another sweep (" + f + ": " + before + "); start "
                        + "this one in another --out, or repeat that sweep's arguments to resume it");
            }
            return;
        }
        JsonFiles.write(f, spec);
    }

    private void log(String run, String event) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("run", run).put("event", event)
                .put("at", java.time.Instant.now().toString());
        Metrics.appendLine(dir.resolve("sweep.jsonl"), o);
    }
}
