package org.autoreg.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.tokenizer.io.AtomicFiles;

/**
 * {@code metrics.jsonl}: one JSON object a line, {@code "event": "train"} every log_interval
 * steps (iter, lr, train_loss, grad_norm, tokens_per_s, elapsed_s) and {@code "event": "eval"}
 * at each evaluation (iter, lr, train_loss, val_loss, elapsed_s). Appended line by line; on
 * resume, lines past the checkpoint are dropped (atomically) so the file reads as one run.
 */
final class Metrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    Metrics(Path file) {
        this.file = file;
    }

    void reset() throws IOException {
        AtomicFiles.writeString(file, "");
    }

    /** Keeps what the checkpoint at {@code iter} had seen: train lines before it, eval lines up to it. */
    void truncateForResume(int iter, boolean evaluatedAtIter) throws IOException {
        StringBuilder kept = new StringBuilder();
        for (ObjectNode o : read()) {
            int i = o.path("iter").asInt();
            boolean eval = "eval".equals(o.path("event").asText());
            if (i < iter || (eval && i == iter && evaluatedAtIter)) {
                kept.append(JSON.writeValueAsString(o)).append('\n');
            }
        }
        AtomicFiles.writeString(file, kept.toString());
    }

    void train(int iter, double lr, double loss, double gradNorm, double tokensPerS, double elapsed) throws IOException {
        append(line("train", iter, lr, elapsed).put("train_loss", loss).put("grad_norm", gradNorm)
                .put("tokens_per_s", Math.round(tokensPerS)));
    }

    void eval(int iter, double lr, double trainLoss, double valLoss, double elapsed) throws IOException {
        append(line("eval", iter, lr, elapsed).put("train_loss", trainLoss).put("val_loss", valLoss));
    }

    void nan(int iter, double lr, double elapsed) throws IOException {
        append(line("nan", iter, lr, elapsed));
    }

    private static ObjectNode line(String event, int iter, double lr, double elapsed) {
        return JSON.createObjectNode().put("iter", iter).put("event", event).put("lr", lr)
                .put("elapsed_s", Math.round(elapsed * 1000) / 1000.0);
    }

    private void append(ObjectNode o) throws IOException {
        appendLine(file, o);
    }

    /** Appends {@code o} as one JSON line to {@code file} (created if absent). */
    static void appendLine(Path file, ObjectNode o) throws IOException {
        Files.write(file, (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Every line, in order (a torn last line from a crash is skipped). */
    List<ObjectNode> read() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            } catch (IOException e) {
                // a line cut short by a kill: ignore it
            }
        }
        return out;
    }
}
