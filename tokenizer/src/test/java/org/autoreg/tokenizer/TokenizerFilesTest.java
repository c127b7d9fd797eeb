package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and saving tokenizer files, and the errors for missing or corrupt ones. */
class TokenizerFilesTest {
    @TempDir
    Path tmp;

    private static Tokenizer trained() {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.byteLevelBpe(300));
        t.feed(TrainerTest.corpus(9, 5_000));
        return t.train().withChatTemplate("{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}");
    }

    private String message(Path path) {
        return assertThrows(TokenizerException.class, () -> Tokenizers.load(path)).getMessage();
    }

    @Test
    void saveAndLoadRoundTripsEveryKind() throws IOException {
        TokenizerTrainer chars = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        chars.feed("to be or not to be");
        TokenizerTrainer words = new TokenizerTrainer(TokenizerTrainer.Config.wordLevel(50, 1)
                .withNormalizer(Normalizer.sequence(List.of(Normalizer.nfkd(), Normalizer.lowercase()))));
        words.feed("To be, or not to be: that is the question.");
        int k = 0;
        for (Tokenizer tok : List.of(trained(), chars.train(), words.train())) {
            Path dir = tmp.resolve("t" + k++);
            tok.save(dir);
            assertTrue(Files.exists(dir.resolve("tokenizer.json")));
            assertTrue(Files.exists(dir.resolve("tokenizer_config.json")));
            Tokenizer back = Tokenizers.load(dir);
            assertEquals(tok.toJson(), back.toJson());
            assertEquals(tok.chatTemplate(), back.chatTemplate());
            assertEquals(tok.specialTokens(), back.specialTokens());
            String text = "to be or not to be";
            assertArrayEquals(tok.encode(text).ids(), back.encode(text).ids());
            try (var s = Files.list(dir)) {
                assertEquals(2, s.count(), "no temporary files left behind");
            }
        }
    }

    @Test
    void gpt2FilesLoadFromEitherNaming() throws IOException {
        Path ref = Shared.require("reference/gpt2");
        Path hf = Files.createDirectories(tmp.resolve("hf-style"));
        Files.copy(ref.resolve("encoder.json"), hf.resolve("vocab.json"));
        Files.copy(ref.resolve("vocab.bpe"), hf.resolve("merges.txt"));
        assertArrayEquals(Shared.gpt2().encodeOrdinary("Hello there"), Tokenizers.load(hf).encodeOrdinary("Hello there"));
        assertEquals("<|endoftext|>", Tokenizers.load(hf).specialTokens().eos());
    }

    @Test
    void missingAndEmptyLocationsAreExplained() throws IOException {
        assertTrue(message(tmp.resolve("nowhere")).contains("does not exist"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("README.md"), "hi");
        String m = message(empty);
        assertTrue(m.contains("holds no tokenizer") && m.contains("README.md") && m.contains("tokenizer.json"), m);

        Path half = Files.createDirectories(tmp.resolve("half"));
        Files.writeString(half.resolve("encoder.json"), "{\"a\": 0}");
        m = message(half);
        assertTrue(m.contains("vocab.bpe") && m.contains("not found"), m);
    }

    @Test
    void corruptTokenizerJsonIsExplained() throws IOException {
        Path dir = tmp.resolve("tok");
        trained().save(dir);
        Path file = dir.resolve("tokenizer.json");
        String json = Files.readString(file);

        Files.writeString(file, json.substring(0, json.length() / 2));
        String m = message(dir);
        assertTrue(m.contains("tokenizer.json") && m.contains("not valid JSON") && m.contains("line"), m);

        Files.writeString(file, "");
        assertTrue(message(dir).contains("empty"));

        Files.writeString(file, json.replace("\"type\": \"BPE\"", "\"type\": \"WordPiece\""));
        m = message(dir);
        assertTrue(m.contains("model type 'WordPiece' is not supported") && m.contains("BPE, WordLevel"), m);

        Tokenizer t = trained();
        int space = t.tokenToId("Ġ").getAsInt();
        int a = t.tokenToId("a").getAsInt();
        Files.writeString(file, json.replace("\"Ġ\": " + space + ",", "\"Ġ\": " + a + ","));
        m = message(dir);
        assertTrue(m.contains("share id " + a), m);

        Files.writeString(file, "[1, 2]");
        assertTrue(message(dir).contains("expected a JSON object"));
    }

    @Test
    void corruptGpt2FilesAreExplained() throws IOException {
        Path ref = Shared.require("reference/gpt2");
        Path dir = Files.createDirectories(tmp.resolve("gpt2"));
        Files.copy(ref.resolve("encoder.json"), dir.resolve("encoder.json"));
        List<String> merges = Files.readAllLines(ref.resolve("vocab.bpe"));

        Files.write(dir.resolve("vocab.bpe"), merges.subList(0, 10));
        Files.writeString(dir.resolve("vocab.bpe"), String.join("\n", merges.subList(0, 10)) + "\nbroken_line\n");
        String m = message(dir);
        assertTrue(m.contains("vocab.bpe line 11") && m.contains("broken_line"), m);

        Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\nĠt zzzunknown\n");
        m = message(dir);
        assertTrue(m.contains("'zzzunknown' is not in the vocabulary"), m);

        Files.writeString(dir.resolve("vocab.bpe"), "");
        assertTrue(message(dir).contains("empty"));

        Files.write(dir.resolve("vocab.bpe"), merges);
        String encoder = Files.readString(ref.resolve("encoder.json"));
        Files.writeString(dir.resolve("encoder.json"), encoder.substring(0, 1000));
        m = message(dir);
        assertTrue(m.contains("encoder.json") && m.contains("not valid JSON"), m);
    }

    @Test
    void tokenizerConfigSuppliesRolesAndTemplate() throws IOException {
        Path dir = tmp.resolve("cfg");
        trained().save(dir);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<|endoftext|>\"}, "
                + "\"eos_token\": \"<|endoftext|>\", \"pad_token\": \"<pad>\", \"chat_template\": \"{{ messages[0]['content'] }}!\"}");
        Tokenizer tok = Tokenizers.load(dir);
        assertEquals("<pad>", tok.specialTokens().pad());
        assertEquals(300, tok.tokenToId("<pad>").getAsInt(), "an unknown role token becomes a new special token");
        assertEquals("hi!", tok.applyChatTemplate(List.of(ChatMessage.user("hi")), false));
    }
}
