package org.autoreg.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.ModelDirectory;
import org.autoreg.core.engine.Decoder;
import org.autoreg.generate.GenerationConfig.ContextOverflow;
import org.autoreg.generate.cli.GenerateCommand;
import org.autoreg.generate.server.OpenAiServer;
import org.autoreg.tokenizer.ChatMessage;
import org.autoreg.tokenizer.cli.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Llama model (RoPE, RMSNorm, SwiGLU, one kv head) through everything that generates: the
 * generator (cache and no cache, past the context on the rolling cache), chat, the generate
 * command and the HTTP server.
 */
class LlamaGenerationTest {
    @TempDir
    static Path tmp;
    static Path dir;
    static Generator g;
    static final List<String> WARNINGS = new ArrayList<>();

    @BeforeAll
    static void train() throws IOException {
        dir = TinyModel.train(tmp.resolve("llama"), ModelConfig.Architecture.LLAMA);
        g = Generator.load(dir, WARNINGS::add);
    }

    private static GenerationConfig.Builder greedy() {
        return GenerationConfig.builder().doSample(false);
    }

    @Test
    void theDirectoryIsALlamaAndGreedyDecodingRecitesTheDocument() throws IOException {
        assertEquals(ModelConfig.Architecture.LLAMA, ModelDirectory.load(dir).model().config().architecture());
        assertEquals("llama", ModelDirectory.inspect(dir).config().path("architecture").asText());
        Completion c = g.generate("the cat", greedy().maxNewTokens(20).build()).get(0);
        assertTrue(c.text().startsWith(" sat on the mat"), c.text());
    }

    @Test
    void cachedAndUncachedAgreeWhileTheTextFitsTheWindow() {
        int[] ids = g.tokenizer().encodeToIds(TinyModel.DOCUMENT, false);
        ContextWindow cached = new ContextWindow(new Decoder(g.model()), true, ContextOverflow.SLIDE, null);
        ContextWindow full = new ContextWindow(new Decoder(g.model()), false, ContextOverflow.SLIDE, null);
        for (int n = 1; n <= TinyModel.BLOCK; n++) {
            float[] a = cached.next(ids, n);
            float[] b = full.next(ids, n);
            for (int v = 0; v < a.length; v++) {
                assertEquals(b[v], a[v], 1e-4, "position " + n + ", token " + v);
            }
        }
        GenerationConfig c = greedy().maxNewTokens(TinyModel.BLOCK - 3).eosTokenIds(List.of()).build();
        Completion withCache = g.generate("the cat", c).get(0);
        Completion noCache = g.generate("the cat", c.toBuilder().useCache(false).build()).get(0);
        assertEquals(noCache, withCache);
    }

    @Test
    void theRollingCacheGeneratesFarPastTheContext() {
        GenerationConfig c = greedy().maxNewTokens(TinyModel.BLOCK * 6).eosTokenIds(List.of()).build();
        Completion long1 = g.generate("the cat", c).get(0);
        assertEquals(TinyModel.BLOCK * 6, long1.completionTokens());
        assertTrue(long1.text().contains("the mat"), long1.text());
    }

    @Test
    void chatAnswersFromTheTemplate() {
        Completion reply = g.chat(List.of(ChatMessage.user("hi")), greedy().maxNewTokens(30).build(), null);
        assertEquals("hello there", reply.text());
    }

    @Test
    void theGenerateCommandRunsIt() {
        PrintStream out = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            code = Cli.run(new GenerateCommand(), new String[] {"--model", dir.toString(), "--prompt", "the cat",
                "--max-new-tokens", "8", "--greedy"});
        } finally {
            System.setOut(out);
        }
        assertEquals(0, code);
        assertTrue(o.toString(StandardCharsets.UTF_8).startsWith(" sat on"), o.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theServerAnswersACompletion() throws Exception {
        OpenAiServer s = OpenAiServer.start(g, new OpenAiServer.Options("127.0.0.1", 0, null, 2, 4, 1 << 20, "llama",
                64, 1));
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"llama\",\"prompt\":\"the cat\",\"max_tokens\":6,\"temperature\":0}")).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertTrue(body.path("choices").get(0).path("text").asText().startsWith(" sat on"), r.body());
        } finally {
            s.close();
        }
    }
}
