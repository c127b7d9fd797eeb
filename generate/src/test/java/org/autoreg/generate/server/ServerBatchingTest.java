package org.autoreg.generate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.autoreg.generate.Completion;
import org.autoreg.generate.GenerationConfig;
import org.autoreg.generate.Generator;
import org.autoreg.generate.TokenLogprob;
import org.autoreg.generate.server.ServerFixture.Reply;
import org.autoreg.tokenizer.ChatMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server batches concurrent requests and each still gets what it gets alone; logprobs in
 * OpenAI's shapes with the generator's values; a non-streaming request stops when its client
 * hangs up.
 */
class ServerBatchingTest {
    @TempDir
    static Path tmp;
    static Generator generator;
    static OpenAiServer server;

    @BeforeAll
    static void start() throws IOException {
        Generator g = ServerFixture.generator(tmp.resolve("m"));
        // without EOS, requests run to max_tokens (the tiny model would end its story at once)
        generator = new Generator(g.model(), g.tokenizer(), g.defaults().toBuilder().eosTokenIds(List.of()).build(),
                msg -> { });
        server = OpenAiServer.start(generator, new OpenAiServer.Options("127.0.0.1", 0, null, 1, 64, 1 << 20, "tiny",
                64, 1, 4096, 600, 30, 16));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Reply post(String path, String body) throws Exception {
        return ServerFixture.post(server, path, null, body);
    }

    @Test
    void concurrentRequestsGetWhatEachGetsAlone() throws Exception {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bodies.add("{\"prompt\": \"" + (i % 2 == 0 ? "the cat" : "the") + "\", \"max_tokens\": " + (4 + 3 * i)
                    + ", \"temperature\": " + (i % 3 == 0 ? 0 : 1.3) + ", \"seed\": " + (50 + i)
                    + (i % 4 == 1 && i % 3 != 0 ? ", \"n\": 2" : "") + "}");
        }
        for (String b : bodies) {
            replies.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("/v1/completions", b);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < bodies.size(); i++) {
            Reply r = replies.get(i).get();
            assertEquals(200, r.status(), r.body());
            JsonNode req = ServerFixture.JSON.readTree(bodies.get(i));
            GenerationConfig cfg = GenerationConfig.builder().maxNewTokens(req.get("max_tokens").asInt())
                    .doSample(req.get("temperature").asDouble() > 0)
                    .temperature(req.get("temperature").asDouble() > 0 ? req.get("temperature").asDouble() : null)
                    .topK(0).seed(req.get("seed").asLong()).numReturnSequences(req.path("n").asInt(1)).build();
            List<Completion> alone = generator.generate(req.get("prompt").asText(), cfg);
            for (int s = 0; s < alone.size(); s++) {
                assertEquals(alone.get(s).text(), r.json().get("choices").get(s).get("text").asText(), "request " + i);
            }
        }
    }

    @Test
    void chatLogprobsHaveOpenAisShapeAndTheGeneratorsValues() throws Exception {
        Reply r = post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + "\"max_tokens\": 5, \"temperature\": 0, \"logprobs\": true, \"top_logprobs\": 3}");
        assertEquals(200, r.status(), r.body());
        JsonNode content = r.json().get("choices").get(0).get("logprobs").get("content");
        Completion alone = generator.generate(generator.tokenizer().encodeChat(List.of(new ChatMessage("user", "hi")),
                true), generator.chatRequest(GenerationConfig.builder().maxNewTokens(5).doSample(false).build()), 3,
                null).get(0);
        assertEquals(alone.completionTokens(), content.size(), r.body());
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < content.size(); t++) {
            JsonNode e = content.get(t);
            TokenLogprob want = alone.logprobs().get(t);
            assertEquals(want.logprob(), e.get("logprob").asDouble(), 1e-12);
            assertEquals(3, e.get("top_logprobs").size());
            assertEquals(want.top().get(0).logprob(), e.get("top_logprobs").get(0).get("logprob").asDouble(), 1e-12);
            assertTrue(e.get("logprob").asDouble() <= 0);
            byte[] bytes = generator.tokenizer().tokenBytes(want.token());
            assertEquals(bytes.length, e.get("bytes").size());
            text.append(e.get("token").asText());
        }
        assertTrue(text.toString().startsWith(r.json().get("choices").get(0).get("message").get("content").asText()
                .substring(0, 3)), text.toString());
        Reply none = post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + "\"max_tokens\": 2}");
        assertTrue(none.json().get("choices").get(0).get("logprobs").isNull(), "null unless asked");
    }

    @Test
    void streamedAndLegacyLogprobsCoverEveryToken() throws Exception {
        HttpStream s = HttpStream.post(server.port(), "/v1/completions", "{\"prompt\": \"the cat\", \"max_tokens\": 8, "
                + "\"temperature\": 0, \"logprobs\": 2, \"stream\": true}");
        int tokens = 0;
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : s.chunks()) {
            JsonNode c = chunk.get("choices").get(0);
            text.append(c.get("text").asText());
            JsonNode lp = c.get("logprobs");
            assertEquals(lp.get("tokens").size(), lp.get("token_logprobs").size());
            assertEquals(lp.get("tokens").size(), lp.get("top_logprobs").size());
            assertEquals(lp.get("tokens").size(), lp.get("text_offset").size());
            for (JsonNode top : lp.get("top_logprobs")) {
                assertEquals(2, top.size(), top.toString());
            }
            tokens += lp.get("tokens").size();
        }
        Completion alone = generator.generate("the cat", GenerationConfig.builder().maxNewTokens(8).doSample(false)
                .build()).get(0);
        assertEquals(alone.completionTokens(), tokens, "every token's logprob streamed once");
        assertEquals(alone.text(), text.toString());
        Reply whole = post("/v1/completions", "{\"prompt\": \"the cat\", \"max_tokens\": 8, \"temperature\": 0, "
                + "\"logprobs\": 0}");
        JsonNode lp = whole.json().get("choices").get(0).get("logprobs");
        assertEquals(alone.completionTokens(), lp.get("tokens").size());
        assertEquals(0, lp.get("text_offset").get(0).asInt());
        assertEquals(0, lp.get("top_logprobs").get(0).size(), "logprobs 0: the chosen token only");
    }

    @Test
    void aNonStreamingRequestStopsWhenItsClientHangsUp() throws Exception {
        long before = server.cancelledStreams();
        String body = "{\"prompt\": \"the cat\", \"max_tokens\": 4096, \"temperature\": 1, \"stop\": [\"#\"], \"n\": 8}";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            long until = System.nanoTime() + 10_000_000_000L;
            while (server.inFlight() == 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            Thread.sleep(200);
        }
        long closed = System.nanoTime();
        while (server.cancelledStreams() == before && System.nanoTime() - closed < 10_000_000_000L) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - closed) / 1e9;
        assertEquals(before + 1, server.cancelledStreams(), "the request was cancelled");
        assertTrue(seconds < 1.0, "cancelled " + seconds + " s after the client left");
        long until = System.nanoTime() + 2_000_000_000L;
        while (server.inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(0, server.inFlight());
        Reply after = post("/v1/completions", "{\"prompt\": \"the\", \"max_tokens\": 2}");
        assertEquals(200, after.status(), "keep-alive connections still work: " + after.body());
        Reply again = post("/v1/completions", "{\"prompt\": \"the\", \"max_tokens\": 2}");
        assertEquals(200, again.status(), again.body());
    }

    /** A streaming request read to its end as JSON chunks. */
    private record HttpStream(List<JsonNode> chunks) {
        static HttpStream post(int port, String path, String body) throws Exception {
            var r = ServerFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + port + path)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            List<JsonNode> chunks = new ArrayList<>();
            for (String line : r.body().toList()) {
                if (line.startsWith("data: {")) {
                    chunks.add(ServerFixture.JSON.readTree(line.substring(6)));
                }
            }
            return new HttpStream(chunks);
        }
    }
}
