package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real Hugging Face tokenizer.json files (see src/test/resources/org/autoreg/tokenizer/hf/SOURCES.md)
 * give the ids, tokens and decodings Hugging Face's implementation gives.
 */
class HfFixturesTest {
    @TempDir
    Path tmp;

    static List<JsonNode> cases(String name) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = HfFixturesTest.class.getResourceAsStream("hf/" + name + ".cases.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(json.readTree(line));
                }
            }
        }
        return out;
    }

    Tokenizer load(String name) throws IOException {
        Path file = tmp.resolve(name + ".json");
        try (InputStream in = HfFixturesTest.class.getResourceAsStream("hf/" + name + ".tokenizer.json")) {
            Files.copy(in, file);
        }
        return Tokenizers.load(file);
    }

    static int[] ints(JsonNode arr) {
        return Stream.iterate(0, i -> i + 1).limit(arr.size()).mapToInt(i -> arr.get(i).asInt()).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bpe_bytelevel_gpt2_4096", "bpe_bytelevel_split_2k", "bpe_bytelevel_strip_nfc_100",
        "bpe_gemma_cropped", "bpe_qwen2_tiny"})
    void matchesHuggingFace(String name) throws IOException {
        Tokenizer tok = load(name);
        Tokenizer reloaded = Tokenizers.load(save(tok, name));
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (JsonNode c : cases(name)) {
            String text = c.get("text").asText();
            for (Tokenizer t : List.of(tok, reloaded)) {
                Encoding enc = t.encode(text, true);
                check(failures, text, "ids", ints(c.get("ids")), enc.ids());
                check(failures, text, "tokens", c.get("tokens").toString(), new ObjectMapper().valueToTree(enc.tokens()).toString());
                check(failures, text, "ids without special tokens", ints(c.get("ids_no_special")), t.encode(text, false).ids());
                check(failures, text, "decode", c.get("decoded").asText(), t.decode(ints(c.get("ids")), false));
                check(failures, text, "decode skipping special", c.get("decoded_skip_special").asText(),
                        t.decode(ints(c.get("ids")), true));
            }
            n++;
        }
        assertEquals(List.of(), failures, name + ": " + failures.size() + " mismatches over " + n + " cases");
    }

    private Path save(Tokenizer tok, String name) throws IOException {
        Path dir = tmp.resolve(name + "-saved");
        tok.save(dir);
        return dir;
    }

    private static void check(List<String> failures, String text, String what, Object expected, Object actual) {
        boolean same = expected instanceof int[] e ? java.util.Arrays.equals(e, (int[]) actual) : expected.equals(actual);
        if (!same) {
            failures.add(Gpt2SplitTest.escape(text) + " " + what + ": expected "
                    + (expected instanceof int[] e ? java.util.Arrays.toString(e) : expected) + " got "
                    + (actual instanceof int[] a ? java.util.Arrays.toString(a) : actual));
        }
    }
}
