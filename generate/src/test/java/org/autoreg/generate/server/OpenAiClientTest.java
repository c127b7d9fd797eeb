package org.autoreg.generate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.generate.TinyModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK, unchanged, against the server (chat and completions, plain and streaming). */
class OpenAiClientTest {
    @TempDir
    static Path tmp;
    static OpenAiServer server;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws IOException {
        server = ServerFixture.start(ServerFixture.generator(tmp.resolve("m")), "sk-test", 2, 8);
        client = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String STORY_END = TinyModel.STORY.substring("the cat".length());

    @Test
    void chatCompletion() {
        ChatCompletionCreateParams p = ChatCompletionCreateParams.builder().model("tiny").addUserMessage("hi")
                .maxCompletionTokens(20).temperature(0.0).build();
        ChatCompletion c = client.chat().completions().create(p);
        assertEquals("hello there", c.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
        assertTrue(c.usage().orElseThrow().promptTokens() > 0);
        assertEquals("tiny", c.model());
    }

    @Test
    void chatCompletionStreaming() {
        ChatCompletionCreateParams p = ChatCompletionCreateParams.builder().model("tiny").addUserMessage("hi")
                .maxCompletionTokens(20).temperature(0.0).build();
        StringBuilder text = new StringBuilder();
        List<String> finish = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(p)) {
            s.stream().forEach(chunk -> chunk.choices().forEach(ch -> {
                ch.delta().content().ifPresent(text::append);
                ch.finishReason().ifPresent(f -> finish.add(f.asString()));
            }));
        }
        assertEquals("hello there", text.toString());
        assertEquals(List.of("stop"), finish);
    }

    @Test
    void completion() {
        CompletionCreateParams p = CompletionCreateParams.builder().model("tiny").prompt("the cat").maxTokens(60)
                .temperature(0.0).build();
        Completion c = client.completions().create(p);
        assertEquals(STORY_END, c.choices().get(0).text());
        assertEquals(CompletionChoice.FinishReason.STOP, c.choices().get(0).finishReason());
        assertEquals(c.usage().orElseThrow().completionTokens() + c.usage().orElseThrow().promptTokens(),
                c.usage().orElseThrow().totalTokens());
        Completion shortOne = client.completions().create(p.toBuilder().maxTokens(3).build());
        assertEquals(CompletionChoice.FinishReason.LENGTH, shortOne.choices().get(0).finishReason());
    }

    @Test
    void completionStreamingWithSeveralSamples() {
        CompletionCreateParams p = CompletionCreateParams.builder().model("tiny").prompt("the cat").maxTokens(60)
                .temperature(0.0).build();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<Completion> s = client.completions().createStreaming(p)) {
            s.stream().forEach(chunk -> chunk.choices().forEach(ch -> text.append(ch.text())));
        }
        assertEquals(STORY_END, text.toString());
        CompletionCreateParams sampled = p.toBuilder().temperature(1.5).n(3).seed(4).maxTokens(10).build();
        Completion a = client.completions().create(sampled);
        Completion b = client.completions().create(sampled);
        assertEquals(3, a.choices().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.choices().get(i).text(), b.choices().get(i).text(), "same seed, same samples");
        }
    }
}
