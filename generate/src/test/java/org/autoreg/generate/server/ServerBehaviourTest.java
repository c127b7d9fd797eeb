package org.autoreg.generate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.autoreg.generate.Generator;
import org.autoreg.generate.server.ServerFixture.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error in OpenAI's shape, over raw HTTP; cancellation, back-pressure and a graceful stop. */
class ServerBehaviourTest {
    @TempDir
    static Path tmp;
    static Generator generator;
    static OpenAiServer server;
    static final String KEY = "sk-test";

    @BeforeAll
    static void start() throws IOException {
        Generator g = ServerFixture.generator(tmp.resolve("m"));
        // without EOS the long requests below run to max_tokens (the tiny model would end its story)
        generator = new Generator(g.model(), g.tokenizer(), g.defaults().toBuilder().eosTokenIds(java.util.List.of())
                .build(), msg -> { });
        server = ServerFixture.start(generator, KEY, 2, 8);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The OpenAI error shape, the status, the field named, and nothing of a stack trace. */
    private static JsonNode error(Reply r, int status, String param) throws IOException {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains(".java:"), r.body());
        JsonNode e = r.json().get("error");
        assertTrue(e.get("message").isTextual() && !e.get("message").asText().isEmpty(), r.body());
        assertTrue(e.has("type") && e.has("param") && e.has("code"), r.body());
        if (param != null) {
            assertEquals(param, e.get("param").asText(), r.body());
        }
        return e;
    }

    private static Reply post(String path, String body) throws Exception {
        return ServerFixture.post(server, path, KEY, body);
    }

    @Test
    void healthAndModels() throws Exception {
        assertEquals("{\"status\":\"ok\"}", ServerFixture.get(server, "/health", null).body());
        JsonNode m = ServerFixture.get(server, "/v1/models", KEY).json();
        assertEquals("tiny", m.get("data").get(0).get("id").asText());
        assertTrue(ServerFixture.get(server, "/", null).body().contains("autoreg playground"));
    }

    @Test
    void apiKeyIsRequired() throws Exception {
        JsonNode missing = error(ServerFixture.post(server, "/v1/completions", null, "{\"prompt\":\"a\"}"), 401, null);
        assertEquals("invalid_api_key", missing.get("code").asText());
        error(ServerFixture.post(server, "/v1/completions", "sk-wrong", "{\"prompt\":\"a\"}"), 401, null);
        error(ServerFixture.get(server, "/v1/models", "sk-wrong"), 401, null);
    }

    @Test
    void badRequestsName400AndTheField() throws Exception {
        assertTrue(error(post("/v1/completions", "{\"prompt\": \"a\", "), 400, null).get("message").asText()
                .contains("not valid JSON"));
        error(post("/v1/completions", "[1, 2]"), 400, null);
        error(post("/v1/completions", "{\"prompt\": \"a\", \"temperature\": \"hot\"}"), 400, "temperature");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"max_tokens\": 2.5}"), 400, "max_tokens");
        error(post("/v1/completions", "{\"prompt\": 7}"), 400, "prompt");
        error(post("/v1/completions", "{}"), 400, "prompt");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"top_p\": 1.5}"), 400, "top_p");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"temperature\": 3}"), 400, "temperature");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"n\": 0}"), 400, "n");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"stop\": [1]}"), 400, "stop");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"stream\": \"yes\"}"), 400, "stream");
        error(post("/v1/chat/completions", "{\"messages\": []}"), 400, "messages");
        error(post("/v1/chat/completions", "{\"messages\": [{\"content\": \"hi\"}]}"), 400, "messages[0].role");
        for (String[] f : new String[][] {
            {"tools", "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]"},
            {"tool_choice", "\"tool_choice\": \"auto\""},
            {"response_format", "\"response_format\": {\"type\": \"json_object\"}"},
            {"logit_bias", "\"logit_bias\": {\"50256\": -100}"},
            {"logprobs", "\"logprobs\": \"yes\""},
            {"top_logprobs", "\"logprobs\": true, \"top_logprobs\": 21"},
            {"top_logprobs", "\"top_logprobs\": 3"},
            {"presence_penalty", "\"presence_penalty\": 0.5"},
        }) {
            error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], " + f[1] + "}"),
                    400, f[0]);
        }
        error(post("/v1/completions", "{\"prompt\": \"a\", \"logprobs\": 6}"), 400, "logprobs");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"logprobs\": true}"), 400, "logprobs");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"top_logprobs\": 2}"), 400, "top_logprobs");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"n\": 40, \"temperature\": 1}"), 400, "n");
        error(post("/v1/completions", "{\"prompt\": \"a\", \"echo\": true}"), 400, "echo");
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}"), 400,
                "messages[0].role");
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": null}]}"), 400,
                "messages[0].content");
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": "
                + "\"image_url\", \"image_url\": {\"url\": \"x\"}}]}]}"), 400, "messages[0].content");
        assertEquals(200, post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + "\"response_format\": {\"type\": \"text\"}, \"tools\": [], \"presence_penalty\": 0, \"max_tokens\": 2}")
                .status(), "harmless forms are accepted");
        JsonNode greedyN = error(post("/v1/completions", "{\"prompt\": \"a\", \"n\": 2, \"temperature\": 0}"), 400, null);
        assertTrue(greedyN.get("message").asText().contains("needs sampling"), greedyN.toString());
        JsonNode ctx = error(post("/v1/completions", "{\"prompt\": \"" + "the cat sat on the mat ".repeat(12) + "\"}"),
                400, "prompt");
        assertEquals("context_length_exceeded", ctx.get("code").asText());
        JsonNode model = error(post("/v1/completions", "{\"model\": \"gpt-4\", \"prompt\": \"a\"}"), 404, "model");
        assertEquals("model_not_found", model.get("code").asText());
        error(ServerFixture.get(server, "/v1/nothing", KEY), 404, null);
    }

    @Test
    void requestsAreBoundedByTheTokenLimit() throws Exception {
        JsonNode big = error(post("/v1/completions", "{\"prompt\": \"a\", \"max_tokens\": 1000000000}"), 400,
                "max_tokens");
        assertTrue(big.get("message").asText().contains("at most 4096 tokens per request (serve --max-tokens-limit)"),
                big.toString());
        error(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + "\"max_completion_tokens\": 5000}"), 400, "max_completion_tokens");
        OpenAiServer small = OpenAiServer.start(generator, new OpenAiServer.Options("127.0.0.1", 0, KEY, 1, 4, 1 << 20,
                "tiny", 256, 1, 3, 600, 30, 32));
        try {
            Reply r = ServerFixture.post(small, "/v1/completions", KEY, "{\"prompt\": \"the\"}");
            assertEquals(200, r.status(), r.body());
            assertEquals(3, r.json().path("usage").path("completion_tokens").asInt(), "the default 256, capped by 3");
            assertEquals("length", r.json().path("choices").get(0).path("finish_reason").asText());
            error(ServerFixture.post(small, "/v1/completions", KEY, "{\"prompt\": \"the\", \"max_tokens\": 4}"), 400,
                    "max_tokens");
        } finally {
            small.close();
        }
    }

    /** 16 sequences of 4,096 tokens, each past the window recomputing every token: seconds of work. */
    private static final String VERY_LONG = "{\"prompt\": \"the cat\", \"max_tokens\": 4096, \"n\": 16, "
            + "\"temperature\": 1, \"stop\": [\"#\"]";

    private static OpenAiServer timed(double requestTimeout, double drainTimeout) {
        return OpenAiServer.start(generator, new OpenAiServer.Options("127.0.0.1", 0, KEY, 1, 4, 1 << 20, "tiny", 256, 1,
                4096, requestTimeout, drainTimeout, 32));
    }

    /** The lines of a stream up to its end. */
    private static List<String> lines(HttpResponse<InputStream> r) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        List<String> out = new java.util.ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void aRequestPastItsTimeoutIsStoppedAndItsWorkerFreed() throws Exception {
        OpenAiServer s = timed(0.3, 30);
        try {
            long t0 = System.nanoTime();
            JsonNode e = error(ServerFixture.post(s, "/v1/completions", KEY, VERY_LONG + "}"), 408, null);
            assertEquals("request_timeout", e.get("code").asText());
            assertTrue(e.get("message").asText().contains("--request-timeout"), e.toString());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "answered soon after the timeout");
            Reply next = ServerFixture.post(s, "/v1/completions", KEY, "{\"prompt\": \"the\", \"max_tokens\": 2}");
            assertEquals(200, next.status(), "the one worker is free again: " + next.body());

            List<String> stream = lines(stream(s, VERY_LONG + ", \"stream\": true}"));
            assertEquals("data: [DONE]", stream.get(stream.size() - 1), stream.toString());
            JsonNode last = ServerFixture.JSON.readTree(stream.get(stream.size() - 2).substring("data: ".length()));
            assertEquals("request_timeout", last.path("error").path("code").asText(), last.toString());
            assertTrue(stream.size() > 3, "some text came before the timeout");
        } finally {
            s.close();
        }
    }

    @Test
    void theDrainIsBoundedThenWhatIsLeftIsCancelled() throws Exception {
        OpenAiServer s = timed(600, 0.5);
        HttpResponse<InputStream> r = stream(s, VERY_LONG + ", \"stream\": true}");
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertTrue(in.readLine().startsWith("data: {"));
        long t0 = System.nanoTime();
        s.close();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 8, "close() took " + seconds + " s with a drain of 0.5 s");
        List<String> rest = new java.util.ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.isEmpty()) {
                rest.add(line);
            }
        }
        assertEquals("data: [DONE]", rest.get(rest.size() - 1), rest.toString());
        assertTrue(rest.get(rest.size() - 2).contains("\"shutting_down\""), rest.get(rest.size() - 2));
    }

    @Test
    void oversizedBodiesGet413() throws Exception {
        String big = "{\"prompt\": \"" + "a".repeat((1 << 20) + 10) + "\"}";
        assertEquals("request_too_large", error(post("/v1/completions", big), 413, null).get("code").asText());
    }

    private static HttpResponse<InputStream> stream(OpenAiServer s, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/completions"))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return ServerFixture.HTTP.send(r, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A request that generates for a long time: sliding past the window recomputes every token. */
    private static final String LONG = "{\"prompt\": \"the cat\", \"max_tokens\": 4096, \"stream\": true, \"stop\": [\"#\"]}";

    @Test
    void aClientThatDisconnectsCancelsItsGeneration() throws Exception {
        long before = server.cancelledStreams();
        HttpResponse<InputStream> r = stream(server, LONG);
        assertEquals(200, r.statusCode());
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertTrue(in.readLine().startsWith("data: {"));
        in.close();
        long until = System.nanoTime() + 20_000_000_000L;
        while (server.cancelledStreams() == before && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(before + 1, server.cancelledStreams(), "the generation stopped when the client left");
    }

    @Test
    void aFullQueueIsRefusedAtOnceWith429() throws Exception {
        OpenAiServer small = OpenAiServer.start(generator, new OpenAiServer.Options("127.0.0.1", 0, KEY, 1, 1, 1 << 20,
                "tiny", 64, 1, 4096, 600, 30, 1));                 // one sequence at a time, one waiting
        try {
            CompletableFuture<HttpResponse<InputStream>> first = CompletableFuture.supplyAsync(() -> call(small, LONG));
            CompletableFuture<HttpResponse<InputStream>> second = CompletableFuture.supplyAsync(() -> call(small, LONG));
            long until = System.nanoTime() + 10_000_000_000L;
            while (small.inFlight() < 2 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            Reply third = ServerFixture.post(small, "/v1/completions", KEY, "{\"prompt\": \"the\", \"max_tokens\": 2}");
            JsonNode e = error(third, 429, null);
            assertEquals("queue_full", e.get("code").asText());
            assertEquals("1", third.raw().headers().firstValue("Retry-After").orElse(""));
            // the one being generated answers first; leaving it cancels it, which lets the queued one start
            CompletableFuture.anyOf(first, second).join();
            CompletableFuture<HttpResponse<InputStream>> running = first.isDone() ? first : second;
            CompletableFuture<HttpResponse<InputStream>> queued = running == first ? second : first;
            running.get().body().close();
            queued.get().body().close();
        } finally {
            small.close();
        }
    }

    private static HttpResponse<InputStream> call(OpenAiServer s, String body) {
        try {
            return stream(s, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void closingLetsRequestsInFlightFinishAndRefusesNewOnes() throws Exception {
        OpenAiServer s = ServerFixture.start(generator, KEY, 1, 4);
        HttpResponse<InputStream> r = stream(s, "{\"prompt\": \"the cat\", \"max_tokens\": 4000, \"stream\": true, "
                + "\"stop\": [\"#\"]}");
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertTrue(in.readLine().startsWith("data: {"));
        Thread closer = new Thread(s::close);
        closer.start();
        long until = System.nanoTime() + 5_000_000_000L;
        Reply refused = null;
        while (System.nanoTime() < until) {
            refused = ServerFixture.post(s, "/v1/completions", KEY, "{\"prompt\": \"the\", \"max_tokens\": 2}");
            if (refused.status() == 503) {
                break;
            }
            Thread.sleep(10);
        }
        assertEquals("shutting_down", error(refused, 503, null).get("code").asText());
        String line;
        String last = null;
        int events = 0;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("data: ")) {
                last = line;
                events++;
            }
        }
        assertEquals("data: [DONE]", last, "the request in flight ran to its end");
        assertTrue(events > 3000, "all of it: " + events);
        closer.join(60_000);
        assertFalse(closer.isAlive());
    }
}
