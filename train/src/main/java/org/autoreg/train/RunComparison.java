package org.autoreg.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.autoreg.tokenizer.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code autoreg runs compare DIR...}: training runs side by side. For each run the final and best
 * validation loss, the whole-split validation loss, tokens/s, wall time and peak RSS (from
 * {@code final.json}; an unfinished run shows what its {@code metrics.jsonl} has), and only the
 * config keys whose values differ between the runs; the train and validation curves of all the
 * runs overlaid in one plot, each labelled by its differing keys.
 */
public final class RunComparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run: its directory, the values of the differing keys, its summary and its evaluations. */
    public record Run(Path dir, Map<String, String> differing, ObjectNode summary, List<ObjectNode> evals) {
        /** What tells this run apart: its differing keys, or its directory name when none differ. */
        public String label() {
            if (differing.isEmpty()) {
                return dir.getFileName().toString();
            }
            List<String> parts = new ArrayList<>();
            differing.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(", ", parts);
        }
    }

    private final List<Run> runs;
    private final List<String> differingKeys;

    private RunComparison(List<Run> runs, List<String> differingKeys) {
        this.runs = List.copyOf(runs);
        this.differingKeys = List.copyOf(differingKeys);
    }

    public List<Run> runs() {
        return runs;
    }

    /** The config keys whose values are not the same in every run, in config order. */
    public List<String> differingKeys() {
        return differingKeys;
    }

    /**
     * Reads run directories ({@code config.json} + {@code metrics.jsonl}) and sweep directories
     * (every run directory inside, in name order).
     */
    public static RunComparison of(List<Path> dirs) throws IOException {
        List<Path> runDirs = new ArrayList<>();
        for (Path d : dirs) {
            if (isRun(d)) {
                runDirs.add(d);
            } else if (Files.isDirectory(d)) {
                List<Path> inside;
                try (Stream<Path> s = Files.list(d)) {
                    inside = s.filter(RunComparison::isRun).sorted().toList();
                }
                if (inside.isEmpty()) {
                    throw new IllegalArgumentException(d + " is neither a run directory (config.json, metrics.jsonl) "
                            + "nor a directory of runs");
                }
                runDirs.addAll(inside);
            } else {
                throw new IllegalArgumentException(d + " does not exist");
            }
        }
        if (runDirs.isEmpty()) {
            throw new IllegalArgumentException("no runs to compare; give run directories or a sweep directory");
        }
        List<ObjectNode> configs = new ArrayList<>();
        for (Path d : runDirs) {
            configs.add(readObject(d.resolve("config.json")));
        }
        Set<String> keys = new LinkedHashSet<>();
        configs.forEach(c -> c.fieldNames().forEachRemaining(keys::add));
        List<String> differing = new ArrayList<>();
        for (String k : keys) {
            JsonNode first = configs.get(0).get(k);
            for (ObjectNode c : configs) {
                JsonNode v = c.get(k);
                if (first == null ? v != null : !first.equals(v)) {
                    differing.add(k);
                    break;
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < runDirs.size(); i++) {
            Path d = runDirs.get(i);
            Map<String, String> values = new LinkedHashMap<>();
            for (String k : differing) {
                JsonNode v = configs.get(i).get(k);
                values.put(k, v == null || v.isNull() ? "-" : v.asText());
            }
            Path fin = d.resolve("final.json");
            ObjectNode summary = Files.isRegularFile(fin) ? readObject(fin) : null;
            List<ObjectNode> evals = new ArrayList<>();
            for (ObjectNode o : new Metrics(d.resolve("metrics.jsonl")).read()) {
                if ("eval".equals(o.path("event").asText())) {
                    evals.add(o);
                }
            }
            runs.add(new Run(d, values, summary, evals));
        }
        return new RunComparison(runs, differing);
    }

    private static boolean isRun(Path d) {
        return Files.isRegularFile(d.resolve("config.json")) && Files.isRegularFile(d.resolve("metrics.jsonl"));
    }

    private static ObjectNode readObject(Path f) throws IOException {
        JsonNode n = JSON.readTree(f.toFile());
        if (!(n instanceof ObjectNode o)) {
            throw new IOException(f + " is not a JSON object; the run directory is damaged");
        }
        return o;
    }

    /** The figures of one run, by column name (NaN where unknown). */
    private static Map<String, Double> figures(Run r) {
        Map<String, Double> f = new LinkedHashMap<>();
        ObjectNode s = r.summary();
        double lastVal = r.evals().isEmpty() ? Double.NaN : r.evals().get(r.evals().size() - 1).path("val_loss").asDouble();
        double bestVal = r.evals().stream().mapToDouble(o -> o.path("val_loss").asDouble()).min().orElse(Double.NaN);
        f.put("final_val_loss", s != null ? num(s, "final_val_loss") : lastVal);
        f.put("best_val_loss", s != null ? num(s, "best_val_loss") : bestVal);
        f.put("val_loss_full_split", s != null ? num(s, "val_loss_full_split") : Double.NaN);
        f.put("tokens_per_s", s != null ? num(s, "tokens_per_s_median") : Double.NaN);
        f.put("wall_s", s != null ? num(s, "wall_s") : Double.NaN);
        f.put("peak_rss_mb", s != null ? num(s, "peak_rss_mb") : Double.NaN);
        return f;
    }

    private static double num(ObjectNode o, String k) {
        JsonNode n = o.get(k);
        return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** The table, one row per run: the differing keys, then the figures; a run without final.json is "running?". */
    public String table() {
        List<String> header = new ArrayList<>(List.of("run"));
        header.addAll(differingKeys);
        header.addAll(List.of("final val", "best val", "val (whole split)", "tokens/s", "wall s", "peak RSS MB", "stop"));
        List<List<String>> rows = new ArrayList<>();
        for (Run r : runs) {
            List<String> row = new ArrayList<>(List.of(r.dir().getFileName().toString()));
            row.addAll(r.differing().values());
            Map<String, Double> f = figures(r);
            row.add(fmt(f.get("final_val_loss"), "%.4f"));
            row.add(fmt(f.get("best_val_loss"), "%.4f"));
            row.add(fmt(f.get("val_loss_full_split"), "%.4f"));
            row.add(fmt(f.get("tokens_per_s"), "%,.0f"));
            row.add(fmt(f.get("wall_s"), "%.1f"));
            row.add(fmt(f.get("peak_rss_mb"), "%.0f"));
            row.add(r.summary() != null ? r.summary().path("stop").asText() : "unfinished");
            rows.add(row);
        }
        int[] w = new int[header.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = header.get(c).length();
            for (List<String> row : rows) {
                w[c] = Math.max(w[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, w);
        for (List<String> row : rows) {
            appendRow(sb, row, w);
        }
        sb.append(differingKeys.isEmpty() ? "(the runs' configs are the same)\n"
                : "differing config keys: " + String.join(", ", differingKeys) + "\n");
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            sb.append(c == 0 ? String.format("%-" + w[c] + "s", cell) : String.format("  %" + w[c] + "s", cell));
        }
        sb.append('\n');
    }

    private static String fmt(double v, String f) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, f, v);
    }

    /** The same as {@link #table}, as JSON: {@code differing_keys} and one object per run. */
    public ObjectNode json() {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode keys = o.putArray("differing_keys");
        differingKeys.forEach(keys::add);
        ArrayNode rs = o.putArray("runs");
        for (Run r : runs) {
            ObjectNode n = rs.addObject().put("run", r.dir().toString()).put("label", r.label());
            ObjectNode cfg = n.putObject("config");
            r.differing().forEach(cfg::put);
            for (Map.Entry<String, Double> e : figures(r).entrySet()) {
                if (Double.isNaN(e.getValue())) {
                    n.putNull(e.getKey());
                } else {
                    n.put(e.getKey(), e.getValue());
                }
            }
            n.put("stop", r.summary() != null ? r.summary().path("stop").asText() : "unfinished");
        }
        return o;
    }

    /**
     * The validation (solid) and training (dashed) losses of every run's evaluations, one colour
     * per run, in one PNG (XChart), written atomically.
     */
    public void plot(Path png, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(600).title(title).xAxisTitle("iteration")
                .yAxisTitle("cross-entropy loss (nats/token)").build();
        chart.getStyler().setMarkerSize(5);
        Color[] palette = chart.getStyler().getSeriesColors();
        boolean any = false;
        Set<String> used = new LinkedHashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            if (r.evals().isEmpty()) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> val = new ArrayList<>();
            List<Double> train = new ArrayList<>();
            for (ObjectNode e : r.evals()) {
                x.add(e.path("iter").asDouble());
                val.add(e.path("val_loss").asDouble());
                train.add(e.path("train_loss").asDouble());
            }
            String label = r.label();
            while (!used.add(label)) {
                label = label + " (" + r.dir().getFileName() + ")";
            }
            Color color = palette[i % palette.length];
            XYSeries v = chart.addSeries(label + " — val", x, val);
            v.setLineColor(color);
            v.setMarkerColor(color);
            v.setMarker(SeriesMarkers.CIRCLE);
            XYSeries t = chart.addSeries(label + " — train", x, train);
            t.setLineColor(color);
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                    new float[] {6f, 4f}, 0f));
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("none of the runs has an evaluation yet; nothing to plot");
        }
        AtomicFiles.writeBytes(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
