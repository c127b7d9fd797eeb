package org.autoreg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.autoreg.core.engine.Decoder;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.PositionalEncoding;
import org.autoreg.tokenizer.Tokenizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exported models checked by an independent reference: {@code src/test/python/hf_reference.py},
 * GPT2LMHeadModel's and LlamaForCausalLM's forward passes written in PyTorch from their documented
 * definitions, which loads the exported directory by its config.json and safetensors. Needs
 * Debian's python3-torch; skipped with the reason when it is absent.
 */
class HfExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NEW_TOKENS = 50;

    @TempDir
    Path tmp;

    Tokenizer tok;

    @BeforeEach
    void tokenizer() {
        tok = HfReference.tokenizer();
    }


    /** Random weights spread wide enough that greedy choices are not near-ties (seeded). */
    private static Gpt randomModel(ModelConfig cfg, long seed) {
        Gpt g = new Gpt(cfg);
        Rng r = new Rng(seed);
        for (Map.Entry<String, INDArray> e : g.params().asMap().entrySet()) {
            INDArray a = e.getValue();
            boolean matrix = a.rank() == 2;
            boolean gain = e.getKey().endsWith("ln_1.weight") || e.getKey().endsWith("ln_2.weight")
                    || e.getKey().endsWith("ln_f.weight") || e.getKey().endsWith("layernorm.weight")
                    || e.getKey().endsWith("norm.weight");
            for (long i = 0; i < a.length(); i++) {
                double z = r.nextGaussian();
                a.putScalar(i, matrix ? 0.25 * z : gain ? 1 + 0.2 * z : 0.1 * z);
            }
        }
        return g;
    }

    /** autoreg's logits at every prompt position and its greedy continuation (KV-cache decoding). */
    private static Object[] autoreg(Gpt model, int[] prompt) {
        Decoder d = new Decoder(model);
        float[][] logits = new float[prompt.length][];
        for (int i = 0; i < prompt.length; i++) {
            logits[i] = d.next(prompt[i]);
        }
        int[] greedy = new int[NEW_TOKENS];
        float[] last = logits[prompt.length - 1];
        for (int i = 0; i < NEW_TOKENS; i++) {
            int best = 0;
            for (int v = 1; v < last.length; v++) {
                if (last[v] > last[best]) {
                    best = v;
                }
            }
            greedy[i] = best;
            if (i + 1 < NEW_TOKENS) {
                last = d.next(best);
            }
        }
        return new Object[] {logits, greedy};
    }

    private static JsonNode reference(Path dir, int[] prompt) throws IOException, InterruptedException {
        return HfReference.run(dir.toString(), Arrays.toString(prompt), Integer.toString(NEW_TOKENS));
    }

    private void checkBothAgree(String name, ModelConfig cfg) throws Exception {
        HfReference.assumePresent();
        Gpt model = randomModel(cfg, 11);
        Path dir = tmp.resolve(name);
        ModelDirectory.save(dir, model, tok, null, null);
        Path hf = tmp.resolve(name + "-hf");
        HfExport.export(dir, hf, false);
        int[] prompt = tok.encodeOrdinary("the lazy fox");
        Object[] ours = autoreg(ModelDirectory.load(dir).model(), prompt);
        JsonNode ref = reference(hf, prompt);
        float[][] logits = (float[][]) ours[0];
        double worst = 0;
        for (int t = 0; t < prompt.length; t++) {
            for (int v = 0; v < logits[t].length; v++) {
                double r = ref.path("logits").get(t).get(v).asDouble();
                worst = Math.max(worst, Math.abs(r - logits[t][v]) / Math.max(1, Math.abs(r)));
            }
        }
        assertTrue(worst <= 1e-4, name + ": logits differ by " + worst + " (relative) from the reference");
        List<Integer> refGreedy = new ArrayList<>();
        ref.path("greedy").forEach(n -> refGreedy.add(n.asInt()));
        assertEquals(refGreedy, Arrays.stream((int[]) ours[1]).boxed().toList(), name + ": greedy continuation");
        assertTrue(Files.isRegularFile(hf.resolve("tokenizer.json")) && Files.isRegularFile(hf.resolve(
                "tokenizer_config.json")) && Files.isRegularFile(hf.resolve("generation_config.json")));
    }

    @Test
    void gpt2TiedWithoutBiasesMatchesTheReference() throws Exception {
        checkBothAgree("gpt2-tied", new ModelConfig(tok.vocabSize(), 64, 2, 4, 32, 0, false, true,
                PositionalEncoding.Kind.LEARNED, 1));
    }

    @Test
    void gpt2UntiedWithBiasesMatchesTheReference() throws Exception {
        checkBothAgree("gpt2-untied", new ModelConfig(tok.vocabSize(), 64, 2, 4, 32, 0, true, false,
                PositionalEncoding.Kind.LEARNED, 2));
    }

    @Test
    void gpt2WithGptTwosTanhGeluMatchesTheReference() throws Exception {
        checkBothAgree("gpt2-gelu-new", new ModelConfig(tok.vocabSize(), 64, 2, 4, 32, 0, true, true,
                PositionalEncoding.Kind.LEARNED, 5, ModelConfig.Architecture.GPT2, null, null, null, null,
                ModelConfig.GELU_TANH));
    }

    @Test
    void llamaTiedGroupedQueryMatchesTheReference() throws Exception {
        checkBothAgree("llama-gqa", new ModelConfig(tok.vocabSize(), 64, 2, 4, 32, 0, false, true, null, 3,
                ModelConfig.Architecture.LLAMA, 2, 48, 10000.0, 1e-5));
    }

    @Test
    void llamaUntiedMultiHeadMatchesTheReference() throws Exception {
        checkBothAgree("llama-mha", new ModelConfig(tok.vocabSize(), 64, 2, 4, 32, 0, false, false, null, 4,
                ModelConfig.Architecture.LLAMA, 4, 40, 500.0, 1e-6));
    }

    @Test
    void configsCarryTransformersFields() throws IOException {
        Path dir = tmp.resolve("g");
        ModelDirectory.save(dir, new Gpt(new ModelConfig(tok.vocabSize(), 16, 1, 2, 16, 0, false, true,
                PositionalEncoding.Kind.LEARNED, 1)), tok, null, null);
        HfExport.export(dir, tmp.resolve("g-hf"), false);
        JsonNode g = JSON.readTree(tmp.resolve("g-hf/config.json").toFile());
        assertEquals("gpt2", g.path("model_type").asText());
        assertEquals("GPT2LMHeadModel", g.path("architectures").get(0).asText());
        assertEquals("gelu", g.path("activation_function").asText(), "the exact (erf) GELU, not gelu_new");
        assertEquals(16, g.path("n_positions").asInt());
        assertTrue(g.path("tie_word_embeddings").asBoolean());

        Path l = tmp.resolve("l");
        ModelDirectory.save(l, new Gpt(new ModelConfig(tok.vocabSize(), 16, 1, 4, 16, 0, false, false, null, 1,
                ModelConfig.Architecture.LLAMA, 1, null, null, null)), tok, null, null);
        HfExport.export(l, tmp.resolve("l-hf"), false);
        JsonNode c = JSON.readTree(tmp.resolve("l-hf/config.json").toFile());
        assertEquals("LlamaForCausalLM", c.path("architectures").get(0).asText());
        assertEquals(1, c.path("num_key_value_heads").asInt());
        assertEquals("silu", c.path("hidden_act").asText());
        assertFalse(c.path("tie_word_embeddings").asBoolean());
    }

    @Test
    void sinusoidalPositionsAndAnExistingOutAreRefused() throws IOException {
        Path dir = tmp.resolve("sin");
        ModelDirectory.save(dir, new Gpt(new ModelConfig(tok.vocabSize(), 16, 1, 2, 16, 0, false, true,
                PositionalEncoding.Kind.SINUSOIDAL, 1)), tok, null, null);
        String sin = assertThrows(IllegalArgumentException.class, () -> HfExport.export(dir, tmp.resolve("x"), false))
                .getMessage();
        assertTrue(sin.contains("sinusoidal") && sin.contains("positional=learned"), sin);
        assertFalse(Files.exists(tmp.resolve("x")));

        Path ok = tmp.resolve("ok");
        ModelDirectory.save(ok, new Gpt(new ModelConfig(tok.vocabSize(), 16, 1, 2, 16, 0, false, true,
                PositionalEncoding.Kind.LEARNED, 1)), tok, null, null);
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        String exists = assertThrows(IllegalArgumentException.class, () -> HfExport.export(ok, out, false))
                .getMessage();
        assertTrue(exists.contains("already exists") && exists.contains("--force"), exists);
        assertEquals("mine", Files.readString(out.resolve("keep.txt")), "nothing overwritten");
        HfExport.export(ok, out, true);
        assertFalse(Files.exists(out.resolve("keep.txt")));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    }
}
