package org.autoreg.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What produced a result: the autoreg build (version, git commit, dirty tree), Java, ND4J and
 * its BLAS, the OS, the CPU (model and the SIMD flags that change speed), cores, thread settings
 * and JVM arguments. A training run adds its own facts (corpus hash, tokenizer, seed, times) and
 * writes the whole as {@code provenance.json}; model directories carry a copy.
 *
 * <p>{@link #differences} names the recorded conditions that differ between two provenances
 * (version, commit, Java, BLAS, CPU, threads), which is what a failed re-run is first checked for.
 */
public final class Provenance {
    public static final String FILE = "provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** CPU flags that change which kernels run (and so the speed, and with some BLAS the bits). */
    private static final Set<String> SPEED_FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
            "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile");
    /** The conditions {@link #differences} compares, as JSON pointers into a provenance. */
    private static final Map<String, String> CONDITIONS = conditions();

    private Provenance() {
    }

    private static Map<String, String> conditions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("autoreg version", "/autoreg/version");
        m.put("git commit", "/autoreg/git_commit");
        m.put("dirty tree", "/autoreg/git_dirty");
        m.put("Java", "/java/version");
        m.put("ND4J", "/nd4j/version");
        m.put("BLAS", "/nd4j/blas");
        m.put("CPU", "/cpu/model");
        m.put("CPU flags", "/cpu/flags");
        m.put("cores", "/cpu/cores");
        m.put("threads", "/threads/engine");
        m.put("OMP_NUM_THREADS", "/threads/omp_num_threads");
        m.put("engine", "/run/engine");
        m.put("seed", "/run/seed");
        m.put("corpus", "/run/corpus_sha256");
        m.put("tokenizer", "/run/tokenizer_sha256");
        return m;
    }

    /**
     * The environment of this process: build, Java, ND4J/BLAS, OS, CPU, threads ({@code engineThreads}:
     * the workers the training engine uses) and JVM arguments.
     */
    public static ObjectNode environment(int engineThreads) {
        ObjectNode p = JSON.createObjectNode();
        Properties git = gitProperties();
        p.putObject("autoreg")
                .put("version", git.getProperty("git.build.version", "unknown"))
                .put("git_commit", git.getProperty("git.commit.id", "unknown"))
                .put("git_dirty", git.getProperty("git.dirty", "unknown"))
                .put("git_commit_time", git.getProperty("git.commit.time", "unknown"));
        p.putObject("java")
                .put("vendor", System.getProperty("java.vendor"))
                .put("version", System.getProperty("java.runtime.version", System.getProperty("java.version")))
                .put("vm", System.getProperty("java.vm.name"));
        ObjectNode nd4j = p.putObject("nd4j").put("version", nd4jVersion());
        nd4j.put("blas", blas());
        p.putObject("os")
                .put("name", System.getProperty("os.name"))
                .put("version", System.getProperty("os.version"))
                .put("arch", System.getProperty("os.arch"));
        ObjectNode cpu = p.putObject("cpu");
        String[] modelAndFlags = cpuInfo();
        cpu.put("model", modelAndFlags[0]).put("flags", modelAndFlags[1])
                .put("cores", Runtime.getRuntime().availableProcessors());
        p.putObject("threads")
                .put("engine", engineThreads)
                .put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        var args = p.putArray("jvm_args");
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(args::add);
        return p;
    }

    /** The git facts stamped into the jar at build time (empty outside a git checkout). */
    private static Properties gitProperties() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("git.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // unknown
        }
        return p;
    }

    private static String nd4jVersion() {
        try (InputStream in = org.nd4j.linalg.factory.Nd4j.class
                .getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // unknown
        }
        return "unknown";
    }

    /** The BLAS the fast engine and ND4J call: OpenBLAS's version as its headers give it, or "unknown". */
    private static String blas() {
        try {
            return org.bytedeco.openblas.global.openblas_nolapack.OPENBLAS_VERSION.trim() + " (bytedeco presets)";
        } catch (LinkageError e) {
            return "unknown";
        }
    }

    /** {model name, the speed-relevant flags space-separated}, from /proc/cpuinfo; "unknown" elsewhere. */
    private static String[] cpuInfo() {
        String model = "unknown";
        Set<String> flags = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name") && model.equals("unknown")) {
                    model = value;
                } else if (key.equals("flags") && flags.isEmpty()) {
                    for (String f : value.split("\\s+")) {
                        if (SPEED_FLAGS.contains(f)) {
                            flags.add(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            return new String[] {System.getProperty("os.arch", "unknown"), "unknown"};
        }
        return new String[] {model, String.join(" ", flags)};
    }

    /** The provenance saved in {@code dir} ({@value #FILE}), or null when there is none. */
    public static ObjectNode read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        JsonNode n = JSON.readTree(f.toFile());
        if (!(n instanceof ObjectNode o)) {
            throw new IOException(f + " is not a JSON object; the file is damaged");
        }
        return o;
    }

    /**
     * The recorded conditions that differ, one line each ("threads: 1 → 2"); empty when they all
     * agree. Conditions missing from either side are skipped.
     */
    public static List<String> differences(JsonNode recorded, JsonNode now) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> c : CONDITIONS.entrySet()) {
            JsonNode a = recorded.at(c.getValue());
            JsonNode b = now.at(c.getValue());
            if (!a.isMissingNode() && !b.isMissingNode() && !a.asText().equals(b.asText())) {
                out.add(c.getKey() + ": " + a.asText() + " → " + b.asText());
            }
        }
        return out;
    }

    /** A few lines for people: build, machine, threads, and the run's facts when present. */
    public static List<String> summary(JsonNode p) {
        List<String> out = new ArrayList<>();
        JsonNode a = p.path("autoreg");
        out.add("built from: autoreg " + a.path("version").asText("?") + ", commit " + a.path("git_commit").asText("?")
                + ("true".equals(a.path("git_dirty").asText()) ? " (with uncommitted changes)" : ""));
        out.add("java: " + p.path("java").path("vendor").asText("?") + " " + p.path("java").path("version").asText("?")
                + "; nd4j " + p.path("nd4j").path("version").asText("?") + ", " + p.path("nd4j").path("blas").asText("?"));
        out.add("machine: " + p.path("cpu").path("model").asText("?") + " [" + p.path("cpu").path("flags").asText("")
                + "], " + p.path("cpu").path("cores").asText("?") + " cores, " + p.path("os").path("name").asText("?")
                + " " + p.path("os").path("version").asText("?"));
        out.add("threads: engine " + p.path("threads").path("engine").asText("?") + ", OMP_NUM_THREADS "
                + p.path("threads").path("omp_num_threads").asText("?"));
        JsonNode run = p.path("run");
        if (run.isObject()) {
            StringBuilder sb = new StringBuilder("run:");
            for (Iterator<Map.Entry<String, JsonNode>> it = run.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isContainerNode()) {
                    sb.append(' ').append(e.getKey()).append('=').append(e.getValue().asText());
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
