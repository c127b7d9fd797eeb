package org.autoreg.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.autoreg.core.io.SafeTensors;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.PositionalEncoding;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.TokenizerTrainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelDirectoryTest {
    @TempDir
    Path tmp;

    Tokenizer tok;
    Gpt gpt;
    Path dir;

    @BeforeEach
    void save() throws IOException {
        TokenizerTrainer t = new TokenizerTrainer(TokenizerTrainer.Config.charLevel());
        t.feed("hello world, hello model.\n");
        tok = t.train();
        gpt = new Gpt(new ModelConfig(tok.vocabSize(), 8, 2, 2, 16, 0, false, true, PositionalEncoding.Kind.LEARNED, 7));
        dir = tmp.resolve("model");
        ModelDirectory.save(dir, gpt, tok, null, null);
    }

    private String error(Path d) {
        return assertThrows(IOException.class, () -> ModelDirectory.load(d)).getMessage();
    }

    @Test
    void roundTripGivesIdenticalLogits() throws IOException {
        ModelDirectory.Loaded back = ModelDirectory.load(dir);
        assertEquals(gpt.config(), back.model().config());
        int[][] ids = {tok.encodeOrdinary("hello w")};
        INDArray a = gpt.graph(1, 7, false).logits(ids);
        INDArray b = back.model().graph(1, 7, false).logits(ids);
        assertArrayEquals(a.data().asFloat(), b.data().asFloat(), 0f, "bit-identical logits");
        assertEquals(tok.toJson(), back.tokenizer().toJson());
        assertEquals(256, back.generationConfig().get("max_new_tokens").asInt());
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temporary directories left: " + dir);
        }
        // saving again replaces the directory whole
        ModelDirectory.save(dir, back.model(), tok, null, null);
        assertTrue(ModelDirectory.inspect(dir).hasLmHead());
    }

    @Test
    void aLlamaRoundTripsWithItsNamesAndGivesIdenticalLogits() throws IOException {
        Gpt llama = new Gpt(new ModelConfig(tok.vocabSize(), 8, 2, 4, 16, 0.1, false, false, null, 3,
                ModelConfig.Architecture.LLAMA, 2, 24, 500.0, 1e-6));
        Path d = tmp.resolve("llama");
        ModelDirectory.save(d, llama, tok, null, null);
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(d.resolve(ModelDirectory.CONFIG).toFile());
        assertEquals("llama", cfg.path("architecture").asText());
        assertEquals(2, cfg.path("n_kv_head").asInt());
        assertFalse(cfg.has("positional"), "no position table key for rotary positions");
        ModelDirectory.Loaded back = ModelDirectory.load(d);
        assertEquals(llama.config(), back.model().config());
        assertArrayEquals(new long[] {8, 16}, back.model().params().get("model.layers.0.self_attn.k_proj.weight")
                .shape(), "k_proj is [n_kv_head·hs, n_embd], nn.Linear's layout");
        int[][] ids = {tok.encodeOrdinary("hello w")};
        float[] a = new org.autoreg.core.engine.Engine(llama, 1, 7).logits(ids, 0, 6);
        float[] b = new org.autoreg.core.engine.Engine(back.model(), 1, 7).logits(ids, 0, 6);
        assertArrayEquals(a, b, 0f, "bit-identical logits");
        // a gpt2 directory written before the llama keys existed still loads as gpt2
        ObjectNode old = (ObjectNode) new ObjectMapper().readTree(dir.resolve(ModelDirectory.CONFIG).toFile());
        assertFalse(old.has("architecture") && !old.path("architecture").asText().equals("gpt2"));
        old.remove("architecture");
        Files.writeString(dir.resolve(ModelDirectory.CONFIG), old.toString());
        assertEquals(ModelConfig.Architecture.GPT2, ModelDirectory.load(dir).model().config().architecture());
        // tensors that do not match the config: named, with the fix
        cfg.put("n_kv_head", 4);
        Files.writeString(d.resolve(ModelDirectory.CONFIG), cfg.toString());
        String e = error(d);
        assertTrue(e.contains("k_proj.weight has shape [8, 16] but the config needs [16, 16]")
                && e.contains("restore the config.json"), e);
    }

    @Test
    void trainingStateRoundTrips() throws IOException {
        ObjectNode state = new ObjectMapper().createObjectNode().put("step", 42);
        Map<String, INDArray> moments = Map.of("m.transformer.wte.weight", Nd4j.rand(3, 4));
        ModelDirectory.save(dir, gpt, tok, null, new ModelDirectory.TrainingState(moments, state));
        ModelDirectory.TrainingState back = ModelDirectory.loadTrainingState(dir);
        assertEquals(42, back.state().get("step").asInt());
        assertArrayEquals(moments.get("m.transformer.wte.weight").data().asFloat(),
                back.tensors().get("m.transformer.wte.weight").data().asFloat(), 0f);
    }

    @Test
    void missingOrCorruptFilesAreExplained() throws IOException {
        assertTrue(error(tmp.resolve("nowhere")).contains("is not a directory"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(error(empty).contains("is not an autoreg model directory"));

        Path cfg = dir.resolve(ModelDirectory.CONFIG);
        String config = Files.readString(cfg);
        Files.writeString(cfg, config.substring(0, config.length() / 2));
        assertTrue(error(dir).contains("config.json: not valid JSON"));
        Files.writeString(cfg, config.replace("\"autoreg_format_version\": 1", "\"autoreg_format_version\": 9"));
        assertTrue(error(dir).contains("format 9 by a newer autoreg"), error(dir));
        Files.writeString(cfg, config.replace("\"n_head\": 2", "\"n_head\": 3"));
        assertTrue(error(dir).contains("n_embd 16 is not divisible by n_head 3"), error(dir));
        Files.writeString(cfg, config.replace("\"n_layer\": 2", "\"n_layer\": 2, \"n_lyer\": 4"));
        assertTrue(error(dir).contains("n_lyer"), error(dir));
        Files.writeString(cfg, config.replace("\"n_layer\": 2", "\"n_layer\": 3"));
        assertTrue(error(dir).contains("lack transformer.h.2"), error(dir));
        Files.writeString(cfg, config.replace("\"vocab_size\": " + tok.vocabSize(), "\"vocab_size\": 5"));
        String m = error(dir);
        assertTrue(m.contains("has shape") || m.contains("tokenizer has"), m);
        Files.writeString(cfg, config);

        Path weights = dir.resolve(ModelDirectory.WEIGHTS);
        byte[] w = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(w, w.length - 100));
        m = error(dir);
        assertTrue(m.contains("model.safetensors") && m.contains("truncated"), m);
        Files.write(weights, new byte[] {1, 2, 3});
        assertTrue(error(dir).contains("only 3 bytes"));
        Files.write(weights, w);
        ModelDirectory.load(dir);

        Path gen = dir.resolve(ModelDirectory.GENERATION_CONFIG);
        Files.writeString(gen, "{\"max_new_tokens\": ");
        m = error(dir);
        assertTrue(m.contains("generation_config.json: not valid JSON"), m);
        Files.writeString(gen, "[1, 2]");
        m = error(dir);
        assertTrue(m.contains("generation_config.json: expected a JSON object"), m);
    }

    @Test
    void aCorruptTrainingStateIsExplained() throws IOException {
        ModelDirectory.save(dir, gpt, tok, null, new ModelDirectory.TrainingState(Map.of("m.x", Nd4j.rand(2, 2)),
                new ObjectMapper().createObjectNode().put("step", 1)));
        Path state = dir.resolve(ModelDirectory.TRAINING_STATE).resolve("state.json");
        Files.writeString(state, "\"step\"");
        String m = assertThrows(IOException.class, () -> ModelDirectory.loadTrainingState(dir)).getMessage();
        assertTrue(m.contains("state.json: expected a JSON object"), m);
    }

    @Test
    void embeddingOnlyDirectoriesAreRecognisedAndRefused() throws IOException {
        Path emb = tmp.resolve("vectors");
        ModelDirectory.saveEmbeddings(emb, Nd4j.rand(tok.vocabSize(), 4), tok, null);
        ModelDirectory.Info info = ModelDirectory.inspect(emb);
        assertEquals(ModelDirectory.TYPE_EMBEDDING, info.modelType());
        assertFalse(info.hasLmHead());
        String m = error(emb);
        assertTrue(m.contains("without a language-modelling head") && m.contains("cannot"), m);
    }

    @Test
    void aTokenizerLargerThanTheModelIsRefused() throws IOException {
        Tokenizer bigger = tok.withSpecialTokens(java.util.List.of("<|a|>", "<|b|>"));
        assertThrows(IllegalArgumentException.class, () -> ModelDirectory.save(tmp.resolve("x"), gpt, bigger, null, null));
        bigger.save(dir); // swap the tokenizer behind the model's back
        assertTrue(error(dir).contains("the tokenizer does not belong to this model"), error(dir));
    }

    @Test
    void safetensorsRoundTripsBothPrecisions() throws IOException {
        Path f = tmp.resolve("t.safetensors");
        INDArray f32 = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3);
        INDArray f64 = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 5);
        SafeTensors.write(f, new java.util.LinkedHashMap<>(Map.of("a", f32, "b", f64)), Map.of("k", "v"));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(f32, c.tensors().get("a"));
        assertEquals(f64, c.tensors().get("b"));
        assertEquals("v", c.metadata().get("k"));
        byte[] bytes = Files.readAllBytes(f);
        assertEquals(0, (8 + java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong()) % 8,
                "header padded to 8 bytes");
    }
}
