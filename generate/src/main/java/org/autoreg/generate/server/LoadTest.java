package org.autoreg.generate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load test for an OpenAI-compatible server: {@code clients} concurrent clients, each sending
 * streaming chat requests one after another, {@code requests} in all; every stream must end with
 * a finish reason, a usage chunk and {@code data: [DONE]}. Bounded by the request count and a
 * deadline.
 */
public final class LoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadTest() {
    }

    /** What a run measured; latency is from sending a request to its {@code [DONE]}. */
    public record Result(int requests, int failures, List<String> errors, double seconds, double p50Ms, double p99Ms,
            long completionTokens) {
        public double requestsPerSecond() {
            return requests / seconds;
        }

        public double tokensPerSecond() {
            return completionTokens / seconds;
        }
    }

    /** Runs the load against {@code base} (e.g. {@code http://127.0.0.1:8080}). */
    public static Result run(URI base, String apiKey, String model, int clients, int requests, int maxTokens,
            Duration deadline) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        long until = System.nanoTime() + deadline.toNanos();
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests && System.nanoTime() < until) {
                    long start = System.nanoTime();
                    try {
                        tokens.addAndGet(one(http, base, apiKey, model, maxTokens, i));
                        latencies.add((System.nanoTime() - start) / 1e6);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        errors.add("request " + i + ": " + e.getMessage());
                    }
                }
            }));
        }
        pool.shutdown();
        pool.awaitTermination(deadline.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double p50 = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        double p99 = sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
        return new Result(sorted.size(), failures.get(), List.copyOf(errors), seconds, p50, p99, tokens.get());
    }

    /** One streaming chat request, checked; returns its completion tokens. */
    private static long one(HttpClient http, URI base, String key, String model, int maxTokens, int i) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode req = JSON.createObjectNode().put("model", model)
                .put("stream", true).put("max_tokens", maxTokens).put("temperature", 1.0).put("seed", i);
        req.putObject("stream_options").put("include_usage", true);
        req.putArray("messages").addObject().put("role", "user").put("content", "hi " + i);
        String body = req.toString();
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        HttpResponse<InputStream> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("status " + resp.statusCode() + ": "
                    + new String(resp.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        boolean finished = false;
        boolean done = false;
        long usage = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                JsonNode chunk = JSON.readTree(data);
                for (JsonNode ch : chunk.path("choices")) {
                    finished |= ch.path("finish_reason").isTextual();
                }
                if (chunk.has("usage")) {
                    usage = chunk.get("usage").path("completion_tokens").asLong(-1);
                }
            }
        }
        if (!finished || !done || usage < 0) {
            throw new IllegalStateException("incomplete stream (finish_reason " + finished + ", usage " + usage
                    + ", [DONE] " + done + ")");
        }
        return usage;
    }
}
