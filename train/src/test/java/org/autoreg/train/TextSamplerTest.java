package org.autoreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoreg.core.ModelConfig;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.PositionalEncoding;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.junit.jupiter.api.Test;

/**
 * The end-of-training sample: as many tokens as asked (also far past the context, where a
 * learned-position model recomputes its window and a Llama's cache rolls), the same text for the
 * same seed, and text the model actually prefers.
 */
class TextSamplerTest {
    private static final String ALPHABET = "abcdefgh\n";

    private static Tokenizer chars() {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        t.feed(ALPHABET);
        return t.train();
    }

    private static void check(ModelConfig cfg) {
        Gpt model = new Gpt(cfg);
        Tokenizer tok = chars();
        int tokens = 3 * cfg.blockSize() + 5;                    // well past the context
        String a = TextSampler.sample(model, tok, tokens, 1.0, 7);
        assertEquals(tokens, a.length(), "one character per token: " + a);
        for (char c : a.toCharArray()) {
            assertTrue(ALPHABET.indexOf(c) >= 0, "a character of the vocabulary: " + (int) c);
        }
        assertEquals(a, TextSampler.sample(model, tok, tokens, 1.0, 7), "the same seed, the same sample");
        assertNotEquals(a, TextSampler.sample(model, tok, tokens, 1.0, 8), "another seed, another sample");
    }

    @Test
    void gpt2WithLearnedPositionsSlidesItsWindow() {
        check(new ModelConfig(ALPHABET.length(), 8, 2, 2, 16, 0, true, true, PositionalEncoding.Kind.LEARNED, 3));
    }

    @Test
    void llamaRollsItsCache() {
        check(ModelConfig.llama(ALPHABET.length(), 8, 2, 2, 1, 16, 0, true, 3));
    }

    /** A model whose head strongly prefers one token samples it almost always, at a low temperature always. */
    @Test
    void drawsFromTheModelsDistribution() {
        ModelConfig cfg = new ModelConfig(ALPHABET.length(), 8, 1, 2, 16, 0, true, false,
                PositionalEncoding.Kind.LEARNED, 3);
        Gpt model = new Gpt(cfg);
        Tokenizer tok = chars();
        int c = tok.encodeOrdinary("c")[0];
        org.nd4j.linalg.api.ndarray.INDArray head = model.params().get(org.autoreg.core.nn.Gpt.LM_HEAD);
        model.params().get("transformer.ln_f.weight").assign(0);  // the final norm's output is 1 everywhere,
        model.params().get("transformer.ln_f.bias").assign(1);
        head.assign(0);                                           // the head [C, V] 0 but for token c's column:
        head.getColumn(c).assign(1);                              // c's logit is C = 16, the others' 0
        String s = TextSampler.sample(model, tok, 40, 0.5, 11);
        assertEquals("c".repeat(40), s);
    }
}
