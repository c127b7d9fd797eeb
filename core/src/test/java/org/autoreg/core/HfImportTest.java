package org.autoreg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.autoreg.core.engine.Decoder;
import org.autoreg.tokenizer.Tokenizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written by the independent PyTorch reference ({@code src/test/python/hf_reference.py
 * --write}) in Hugging Face's layout — random weights, F32, BF16 and F16, single-file and sharded —
 * load in autoreg and give the reference's logits. Needs python3-torch; skipped otherwise. The
 * error cases need no PyTorch.
 */
class HfImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Tokenizer tok;

    @BeforeEach
    void tokenizer() {
        tok = HfReference.tokenizer();
    }


    /** The reference writes a checkpoint and returns its logits for {@code prompt}. */
    private JsonNode write(Path dir, String kind, String dtype, String layout, int[] prompt) throws Exception {
        HfReference.assumePresent();
        JsonNode logits = HfReference.run("--write", dir.toString(), kind, dtype, layout,
                Integer.toString(tok.vocabSize()), "7", Arrays.toString(prompt));
        tok.save(dir);                                       // tokenizer.json beside the weights
        return logits;
    }

    private void loadsWithTheReferencesLogits(String kind, String dtype, String layout) throws Exception {
        Path dir = tmp.resolve(kind + "-" + dtype + "-" + layout);
        int[] prompt = tok.encodeOrdinary("the lazy fox");
        JsonNode ref = write(dir, kind, dtype, layout, prompt);
        ModelDirectory.Loaded m = ModelDirectory.load(dir);
        assertEquals(kind, m.model().config().architecture().jsonName());
        Decoder d = new Decoder(m.model());
        double worst = 0;
        for (int t = 0; t < prompt.length; t++) {
            float[] logits = d.next(prompt[t]);
            for (int v = 0; v < logits.length; v++) {
                double r = ref.path("logits").get(t).get(v).asDouble();
                worst = Math.max(worst, Math.abs(r - logits[v]) / Math.max(1, Math.abs(r)));
            }
        }
        assertTrue(worst <= 1e-4, dir.getFileName() + ": logits differ by " + worst + " from the reference");
        assertEquals(0, ModelDirectory.inspect(dir).formatVersion(), "read as a Hugging Face checkpoint");
    }

    @Test
    void gpt2F32SingleFile() throws Exception {
        loadsWithTheReferencesLogits("gpt2", "F32", "single");
    }

    @Test
    void gpt2Bf16Sharded() throws Exception {
        loadsWithTheReferencesLogits("gpt2", "BF16", "sharded");
    }

    @Test
    void llamaBf16Sharded() throws Exception {
        loadsWithTheReferencesLogits("llama", "BF16", "sharded");
    }

    @Test
    void llamaF32SingleFile() throws Exception {
        loadsWithTheReferencesLogits("llama", "F32", "single");
    }

    @Test
    void gpt2F16SingleFile() throws Exception {
        loadsWithTheReferencesLogits("gpt2", "F16", "single");
    }

    /** An export read back as a Hugging Face directory is the same model. */
    @Test
    void anExportReadsBackAsTheSameModel() throws IOException {
        org.autoreg.core.nn.Gpt g = new org.autoreg.core.nn.Gpt(new ModelConfig(tok.vocabSize(), 16, 1, 4, 16, 0, false,
                false, null, 3, ModelConfig.Architecture.LLAMA, 2, null, null, null));
        Path dir = tmp.resolve("m");
        ModelDirectory.save(dir, g, tok, null, null);
        HfExport.export(dir, tmp.resolve("m-hf"), false);
        ModelDirectory.Loaded back = ModelDirectory.load(tmp.resolve("m-hf"));
        int[] ids = tok.encodeOrdinary("the dog");
        float[] a = null;
        float[] b = null;
        Decoder da = new Decoder(g);
        Decoder db = new Decoder(back.model());
        for (int id : ids) {
            a = da.next(id);
            b = db.next(id);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0f);
    }

    private Path tinyGpt2(String name) throws IOException {
        org.autoreg.core.nn.Gpt g = new org.autoreg.core.nn.Gpt(new ModelConfig(tok.vocabSize(), 16, 1, 2, 16, 0, false,
                true, org.autoreg.core.nn.PositionalEncoding.Kind.LEARNED, 1));
        Path dir = tmp.resolve(name);
        ModelDirectory.save(dir, g, tok, null, null);
        Path hf = tmp.resolve(name + "-hf");
        HfExport.export(dir, hf, false);
        return hf;
    }

    private static void editConfig(Path dir, String key, Object value) throws IOException {
        Path c = dir.resolve("config.json");
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(c.toFile());
        assertTrue(o.has(key), key);
        o.set(key, JSON.valueToTree(value));
        Files.writeString(c, o.toString());
    }

    @Test
    void whatDoesNotMapIsAnErrorNamingIt() throws Exception {
        Path unknown = tinyGpt2("bert");
        editConfig(unknown, "model_type", "bert");
        String e1 = assertThrows(IOException.class, () -> ModelDirectory.load(unknown)).getMessage();
        assertTrue(e1.contains("model_type 'bert' is not supported") && e1.contains("gpt2, llama"), e1);

        Path act = tinyGpt2("act");
        editConfig(act, "activation_function", "relu");
        String e2 = assertThrows(IOException.class, () -> ModelDirectory.load(act)).getMessage();
        assertTrue(e2.contains("activation_function 'relu' is not supported") && e2.contains("gelu_new"), e2);

        Path shape = tinyGpt2("shape");
        editConfig(shape, "vocab_size", tok.vocabSize() + 5);
        String e3 = assertThrows(IOException.class, () -> ModelDirectory.load(shape)).getMessage();
        assertTrue(e3.contains("do not match config.json"), e3);

        Path sharded = tinyGpt2("shard");
        Files.move(sharded.resolve("model.safetensors"), sharded.resolve("model-00001-of-00001.safetensors"));
        Files.writeString(sharded.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"transformer.wte.weight\": "
                + "\"model-00001-of-00002.safetensors\"}}");
        String e4 = assertThrows(IOException.class, () -> ModelDirectory.load(sharded)).getMessage();
        assertTrue(e4.contains("shard model-00001-of-00002.safetensors") && e4.contains("missing"), e4);

        Path dtype = tinyGpt2("dtype");
        byte[] header = "{\"transformer.wte.weight\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}"
                .getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put((byte) 1);
        Files.write(dtype.resolve("model.safetensors"), b.array());
        String e5 = assertThrows(IOException.class, () -> ModelDirectory.load(dtype)).getMessage();
        assertTrue(e5.contains("dtype 'I8'") && e5.contains("BF16"), e5);
    }
}
