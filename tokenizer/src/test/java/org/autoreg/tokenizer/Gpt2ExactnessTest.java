package org.autoreg.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.autoreg.tokenizer.io.TextCorpus;
import org.junit.jupiter.api.Test;

/** GPT-2 byte-level BPE reproduces tiktoken's ids exactly on the shared reference cases. */
class Gpt2ExactnessTest {

    static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }

    @Test
    void everyReferenceCaseEncodesToTiktokensIds() throws Exception {
        Tokenizer gpt2 = Shared.gpt2();
        ObjectMapper json = new ObjectMapper();
        int n = 0;
        int special = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode c : Shared.gpt2Cases()) {
            String text = c.get("text").asText();
            int[] expected = ints(c.get("ids"));
            int[] actual = gpt2.encodeOrdinary(text);
            if (!java.util.Arrays.equals(expected, actual)) {
                failures.add(json.writeValueAsString(text) + ": expected " + c.get("ids") + " got "
                        + java.util.Arrays.toString(actual));
            }
            if (c.has("ids_special_allowed")) {
                special++;
                assertArrayEquals(ints(c.get("ids_special_allowed")), gpt2.encodeToIds(text, false),
                        "special tokens allowed: " + text);
            }
            assertEquals(text, gpt2.decode(actual), "decode(encode(s)) for " + json.writeValueAsString(text));
            n++;
        }
        assertEquals(List.of(), failures, failures.size() + " of " + n + " cases differ");
        assertEquals(229, n, "the reference file holds 229 cases");
        org.junit.jupiter.api.Assertions.assertTrue(special > 0, "some cases hold <|endoftext|>");
    }

    @Test
    void splitSpecialTokensReproducesEncodeOrdinaryOnEveryReferenceCase() throws Exception {
        Tokenizer gpt2 = Shared.gpt2();
        int n = 0;
        for (JsonNode c : Shared.gpt2Cases()) {
            String text = c.get("text").asText();
            int[] ordinary = ints(c.get("ids"));
            assertArrayEquals(ordinary, gpt2.encodeToIds(text, false, true), "case " + c.get("id"));
            assertArrayEquals(ordinary, gpt2.encode(text, false, true).ids(), "case " + c.get("id") + ", with offsets");
            n++;
        }
        assertEquals(229, n);
    }

    @Test
    void tinyShakespeareEncodesTo338025TokensWholeOrInChunks() {
        Tokenizer gpt2 = Shared.gpt2();
        Path corpus = Shared.require("data/tinyshakespeare.txt");
        String text = TextCorpus.read(corpus);
        int[] whole = gpt2.encodeOrdinary(text);
        assertEquals(338_025, whole.length);
        List<int[]> parts = new ArrayList<>();
        TextCorpus.chunks(corpus, 10_000, chunk -> parts.add(gpt2.encodeOrdinary(chunk)));
        int[] chunked = parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        org.junit.jupiter.api.Assertions.assertTrue(parts.size() > 50, "the corpus was really cut into chunks");
        assertArrayEquals(whole, chunked);
        assertEquals(text, gpt2.decode(whole));
    }

    @Test
    void endOfTextIsOneSpecialTokenOnlyWhenAllowed() {
        Tokenizer gpt2 = Shared.gpt2();
        assertArrayEquals(new int[] {15496, 50256, 15496}, gpt2.encodeToIds("Hello<|endoftext|>Hello", false));
        assertArrayEquals(new int[] {15496, 27, 91, 437, 1659, 5239, 91, 29, 15496},
                gpt2.encodeOrdinary("Hello<|endoftext|>Hello"));
        assertEquals("HelloHello", gpt2.decode(new int[] {15496, 50256, 15496}, true));
        assertEquals(50257, gpt2.vocabSize());
    }
}
