package org.autoreg.generate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.autoreg.generate.TinyModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 64 concurrent streaming clients; and a headless Chromium driving the playground page. */
class LoadAndBrowserTest {
    @TempDir
    static Path tmp;
    static OpenAiServer server;

    @BeforeAll
    static void start() throws IOException {
        server = ServerFixture.start(ServerFixture.generator(tmp.resolve("m")), null, 2, 64);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sixtyFourConcurrentStreamingClientsAllComplete() throws Exception {
        LoadTest.Result r = LoadTest.run(URI.create("http://127.0.0.1:" + server.port()), null, "tiny", 64, 128, 16,
                Duration.ofSeconds(120));
        assertEquals(List.of(), r.errors());
        assertEquals(128, r.requests());
        assertTrue(r.completionTokens() > 0);
        System.err.printf("load: %d requests in %.1f s (%.1f req/s), p50 %.0f ms, p99 %.0f ms, %.0f tokens/s%n",
                r.requests(), r.seconds(), r.requestsPerSecond(), r.p50Ms(), r.p99Ms(), r.tokensPerSecond());
    }

    static String chromium() {
        for (String c : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (Files.isExecutable(Path.of(dir, c))) {
                    return Path.of(dir, c).toString();
                }
            }
        }
        return null;
    }

    @Test
    void thePlaygroundStreamsTextIntoThePage() throws Exception {
        String chrome = chromium();
        Assumptions.assumeTrue(chrome != null, "no chromium on PATH (apt-get install chromium; .ci/run installs it)");
        String url = "http://127.0.0.1:" + server.port() + "/?autorun=1&temperature=0&max_tokens=60&prompt="
                + URLEncoder.encode("the cat", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(chrome, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-dev-shm-usage", "--remote-debugging-port=0", "--user-data-dir=" + tmp.resolve("profile"), url)
                .redirectErrorStream(true).start();
        try {
            String devtools = null;
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (devtools == null && System.nanoTime() < until && (line = out.readLine()) != null) {
                int at = line.indexOf("ws://");
                if (line.contains("DevTools listening on") && at >= 0) {
                    devtools = line.substring(at).trim();
                }
            }
            assertTrue(devtools != null, "chromium printed no DevTools address");
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep chromium's output pipe from filling
                    }
                } catch (IOException ignored) {
                    // chromium exited
                }
            });
            drain.setDaemon(true);
            drain.start();
            URI http = URI.create(devtools.replaceFirst("^ws://", "http://").replaceFirst("/devtools/.*$", "/json/list"));
            String pageWs = null;
            while (pageWs == null && System.nanoTime() < until) {
                JsonNode list = ServerFixture.JSON.readTree(ServerFixture.HTTP.send(HttpRequest.newBuilder(http).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : list) {
                    if ("page".equals(t.path("type").asText()) && t.path("url").asText().contains("autorun")) {
                        pageWs = t.path("webSocketDebuggerUrl").asText();
                    }
                }
                Thread.sleep(100);
            }
            assertTrue(pageWs != null, "no page target");
            Cdp cdp = new Cdp(pageWs);
            List<String> seen = new ArrayList<>();
            String status = "";
            while (System.nanoTime() < until) {
                status = cdp.eval("document.getElementById('status').textContent");
                String text = cdp.eval("document.getElementById('output').textContent"); // after the status: final
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(text)) {
                    seen.add(text);
                }
                if (status.startsWith("done") || status.startsWith("error")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertEquals("done (stop)", status, "page status; texts seen: " + seen);
            assertEquals(TinyModel.STORY.substring("the cat".length()), seen.get(seen.size() - 1));
            cdp.close();
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** The smallest Chrome DevTools Protocol client: Runtime.evaluate over a WebSocket. */
    static final class Cdp implements WebSocket.Listener {
        private final WebSocket ws;
        private final AtomicInteger ids = new AtomicInteger();
        private volatile CompletableFuture<String> pending;
        private final StringBuilder message = new StringBuilder();

        Cdp(String url) {
            ws = ServerFixture.HTTP.newWebSocketBuilder().buildAsync(URI.create(url), this).join();
        }

        String eval(String expression) throws Exception {
            int id = ids.incrementAndGet();
            pending = new CompletableFuture<>();
            String req = ServerFixture.JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate")
                    .set("params", ServerFixture.JSON.createObjectNode().put("expression", expression)
                            .put("returnByValue", true)).toString();
            ws.sendText(req, true).join();
            while (true) {
                JsonNode r = ServerFixture.JSON.readTree(pending.get(10, TimeUnit.SECONDS));
                if (r.path("id").asInt() == id) {
                    return r.path("result").path("result").path("value").asText("");
                }
                pending = new CompletableFuture<>();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String m = message.toString();
                message.setLength(0);
                if (m.contains("\"id\"")) {
                    pending.complete(m);
                }
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
