package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real Hugging Face chat templates (Llama 2/3, Mistral, Zephyr, Gemma, Phi-3, Qwen 2.5/3, TinyLlama)
 * render exactly as Python jinja2 renders them in transformers' apply_chat_template (expected
 * strings produced with jinja2 3.1.2; sources in chat/SOURCES.md).
 */
class ChatTemplateTest {

    private static Tokenizer tokenizerFor(String template, String bos, String eos) {
        Map<String, Integer> vocab = new java.util.LinkedHashMap<>();
        vocab.put("a", 0);
        Tokenizer.Builder b = Tokenizer.builder(Model.wordLevel(vocab, null)).chatTemplate(template);
        int id = 1;
        for (String s : new String[] {bos, eos}) {
            if (!s.isEmpty() && vocab.putIfAbsent(s, id) == null) {
                b.addedToken(AddedToken.special(s, id++));
            }
        }
        return b.specialTokens(new SpecialTokens(bos.isEmpty() ? null : bos, eos.isEmpty() ? null : eos, null, null))
                .build();
    }

    @Test
    void realTemplatesRenderLikeJinja2() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> failures = new ArrayList<>();
        int n = 0;
        try (InputStream in = getClass().getResourceAsStream("chat/chat-template-cases.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode c = json.readTree(line);
                n++;
                Tokenizer tok = tokenizerFor(c.get("template").asText(), c.get("bos_token").asText(),
                        c.get("eos_token").asText());
                List<ChatMessage> messages = new ArrayList<>();
                c.get("messages").forEach(m -> messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
                String name = c.get("name").asText() + " #" + n;
                boolean genPrompt = c.get("add_generation_prompt").asBoolean();
                if (!c.get("error").isNull()) {
                    try {
                        tok.applyChatTemplate(messages, genPrompt);
                        failures.add(name + ": expected the error '" + c.get("error").asText() + "'");
                    } catch (TokenizerException e) {
                        if (!e.getMessage().contains(c.get("error").asText())) {
                            failures.add(name + ": error '" + e.getMessage() + "' lacks '" + c.get("error").asText() + "'");
                        }
                    }
                    continue;
                }
                try {
                    String out = tok.applyChatTemplate(messages, genPrompt);
                    if (!out.equals(c.get("expected").asText())) {
                        failures.add(name + ":\n  expected " + json.writeValueAsString(c.get("expected").asText())
                                + "\n  got      " + json.writeValueAsString(out));
                    }
                } catch (TokenizerException e) {
                    failures.add(name + ": " + e.getMessage());
                }
            }
        }
        assertEquals(45, n);
        assertEquals("", String.join("\n", failures), failures.size() + " of " + n + " cases differ");
    }

    @Test
    void chatMlDefaultAndEncodeChatUseTheTemplateTokens() {
        Map<String, Integer> vocab = new java.util.LinkedHashMap<>();
        for (String w : new String[] {"<unk>", "user", "assistant", "Hi", "there"}) {
            vocab.put(w, vocab.size());
        }
        Tokenizer tok = Tokenizer.builder(Model.wordLevel(vocab, "<unk>")).preTokenizer(PreTokenizer.whitespace()).build()
                .withSpecialTokens(List.of("<|im_start|>", "<|im_end|>"));
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi there"));
        assertEquals("<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", tok.applyChatTemplate(chat, true));
        int start = tok.tokenToId("<|im_start|>").getAsInt();
        int end = tok.tokenToId("<|im_end|>").getAsInt();
        assertEquals(List.of(start, 1, 3, 4, end, start, 2),
                java.util.Arrays.stream(tok.encodeChat(chat, true)).boxed().toList());
    }

    @Test
    void templateErrorsAreClearMessages() {
        Tokenizer tok = tokenizerFor("{% for m in messages %}{{ m['content'] }", "", "");
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> tok.applyChatTemplate(List.of(ChatMessage.user("x")), false));
        assertTrue(e.getMessage().startsWith("chat template"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tok.applyChatTemplate(List.of(), true));
    }
}
