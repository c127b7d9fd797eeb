package org.autoreg.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static GenerationConfig parse(String json) throws Exception {
        return GenerationConfig.fromJson(JSON.readTree(json));
    }

    private static String error(String json) {
        return assertThrows(GenerationException.class, () -> parse(json).validate()).getMessage();
    }

    @Test
    void readsHuggingFaceKeysAndIgnoresModelDescriptionKeys() throws Exception {
        GenerationConfig c = parse("""
                {"max_new_tokens": 50, "do_sample": true, "temperature": 0.7, "top_k": 0, "top_p": 0.9,
                 "eos_token_id": [2, 3], "bos_token_id": 1, "pad_token_id": 0, "transformers_version": "4.46.0",
                 "num_beams": 1, "stop_strings": "\\n\\n", "context_overflow": "refill"}""");
        assertEquals(50, c.maxNewTokens());
        assertEquals(true, c.doSample());
        assertEquals(0.7, c.temperature());
        assertEquals(List.of(2, 3), c.eosTokenIds());
        assertEquals(List.of("\n\n"), c.stopStrings());
        assertEquals(GenerationConfig.ContextOverflow.REFILL, c.contextOverflow());
        assertEquals(List.of(7), parse("{\"eos_token_id\": 7}").eosTokenIds());
        assertEquals(c, GenerationConfig.fromJson(c.toJson()), "JSON round trip");
    }

    @Test
    void badJsonNamesTheKey() {
        assertTrue(error("{\"max_tokens\": 5}").contains("unknown generation key 'max_tokens'"));
        assertTrue(error("{\"top_k\": \"ten\"}").contains("top_k must be an integer"));
        assertTrue(error("{\"do_sample\": 1}").contains("do_sample must be true or false"));
        assertTrue(error("{\"num_beams\": 4}").contains("beam search is not supported"));
        assertTrue(error("{\"context_overflow\": \"wrap\"}").contains("not one of slide, refill, error"));
        assertTrue(error("[1]").contains("JSON object"));
    }

    @Test
    void outOfRangeValuesAreErrors() {
        assertTrue(error("{\"temperature\": -0.5}").startsWith("temperature = -0.5: must be ≥ 0"));
        assertTrue(error("{\"top_p\": 0}").startsWith("top_p = 0.0: must be in (0, 1]"));
        assertTrue(error("{\"top_p\": 1.5}").startsWith("top_p = 1.5"));
        assertTrue(error("{\"top_k\": -1}").startsWith("top_k = -1"));
        assertTrue(error("{\"max_new_tokens\": 0}").startsWith("max_new_tokens = 0"));
        assertTrue(error("{\"repetition_penalty\": 0}").startsWith("repetition_penalty = 0.0"));
        assertTrue(error("{\"num_return_sequences\": 0}").startsWith("num_return_sequences = 0"));
        assertTrue(error("{\"stop_strings\": [\"\"]}").startsWith("stop_strings"));
    }

    @Test
    void aLayerSettingOneLengthClearsTheOtherFromBelow() {
        GenerationConfig model = GenerationConfig.builder().maxNewTokens(256).temperature(0.8).build();
        GenerationConfig byLength = model.merge(GenerationConfig.builder().maxLength(30).build());
        assertEquals(30, byLength.maxLength());
        assertNull(byLength.maxNewTokens(), "the request's max_length is not shadowed by the default max_new_tokens");
        assertEquals(0.8, byLength.temperature(), "unset fields keep the lower layer's value");
        GenerationConfig both = model.merge(GenerationConfig.builder().maxLength(30).maxNewTokens(5).build());
        assertEquals(5, both.maxNewTokens());
        assertEquals(30, both.maxLength());
    }
}
