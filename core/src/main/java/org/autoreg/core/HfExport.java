package org.autoreg.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.autoreg.core.io.SafeTensors;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.LayerNorm;
import org.autoreg.core.nn.PositionalEncoding;
import org.autoreg.tokenizer.SpecialTokens;
import org.autoreg.tokenizer.Tokenizer;
import org.autoreg.tokenizer.io.JsonFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code autoreg export --format hf}: a model directory as Hugging Face {@code transformers} lays
 * one out, loadable by {@code AutoModelForCausalLM.from_pretrained} with no custom code:
 * {@code config.json} (GPT2Config or LlamaConfig fields), {@code model.safetensors} in
 * Hugging Face's tensor names and layouts, {@code tokenizer.json}, {@code tokenizer_config.json}
 * and {@code generation_config.json}.
 *
 * <p>GPT-2 → {@code GPT2LMHeadModel}: autoreg already keeps GPT-2's names and Conv1D layout
 * ([in, out]); what it adds are the biases a bias-free model lacks (GPT-2's modules always carry
 * them: zeros), and an untied head transposed to {@code nn.Linear}'s [out, in]. The activation is
 * the model's: {@code gelu} (the exact erf form, autoreg's default) or {@code gelu_new} (GPT-2's tanh
 * approximation). Sinusoidal positions have no GPT-2 equivalent and are refused.
 * Llama → {@code LlamaForCausalLM}: the names and layouts are already Hugging Face's, RoPE in the
 * rotate-half convention.
 */
public final class HfExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfExport() {
    }

    /**
     * Exports the model in {@code modelDir} (a model directory or a run directory's best/) to
     * {@code out}, atomically; an existing {@code out} is replaced only with {@code force}.
     */
    public static void export(Path modelDir, Path out, boolean force) throws IOException {
        ModelDirectory.requireNew(out, force);
        ModelDirectory.Loaded m = ModelDirectory.load(modelDir);
        ModelConfig c = m.model().config();
        boolean llama = c.architecture() == ModelConfig.Architecture.LLAMA;
        if (!llama && c.positional() == PositionalEncoding.Kind.SINUSOIDAL) {
            throw new IllegalArgumentException(modelDir + " has sinusoidal positions, which GPT2LMHeadModel cannot "
                    + "hold (its positions are a learned table, wpe); train with positional=learned to export to "
                    + "Hugging Face");
        }
        Map<String, INDArray> tensors = llama ? llamaTensors(m.model()) : gpt2Tensors(m.model());
        ObjectNode config = llama ? llamaConfig(c, m.tokenizer()) : gpt2Config(c, m.tokenizer());
        ObjectNode generation = m.generationConfig() != null ? m.generationConfig()
                : ModelDirectory.defaultGenerationConfig(m.tokenizer());
        ModelDirectory.writeAtomically(out, tmp -> {
            JsonFiles.write(tmp.resolve(ModelDirectory.CONFIG), config);
            SafeTensors.write(tmp.resolve(ModelDirectory.WEIGHTS), tensors, Map.of("format", "pt"));
            m.tokenizer().save(tmp);
            JsonFiles.write(tmp.resolve(ModelDirectory.GENERATION_CONFIG), generation);
        });
    }

    /** GPT-2's tensors in GPT2LMHeadModel's names: zero biases where the model has none, an untied head as [V, C]. */
    private static Map<String, INDArray> gpt2Tensors(Gpt model) {
        ModelConfig c = model.config();
        int C = c.nEmbd();
        Map<String, INDArray> t = new LinkedHashMap<>();
        Map<String, INDArray> p = model.params().asMap();
        for (Map.Entry<String, INDArray> e : p.entrySet()) {
            if (!e.getKey().equals(Gpt.LM_HEAD)) {
                t.put(e.getKey(), e.getValue().castTo(DataType.FLOAT));
            }
        }
        if (!c.bias()) {
            for (int l = 0; l < c.nLayer(); l++) {
                String h = "transformer.h." + l + ".";
                t.put(h + "ln_1.bias", zeros(C));
                t.put(h + "attn.c_attn.bias", zeros(3 * C));
                t.put(h + "attn.c_proj.bias", zeros(C));
                t.put(h + "ln_2.bias", zeros(C));
                t.put(h + "mlp.c_fc.bias", zeros(c.mlpHidden()));
                t.put(h + "mlp.c_proj.bias", zeros(C));
            }
            t.put("transformer.ln_f.bias", zeros(C));
        }
        if (!c.tiedEmbeddings()) {
            t.put(Gpt.LM_HEAD, p.get(Gpt.LM_HEAD).castTo(DataType.FLOAT).transpose().dup('c'));   // [C, V] → [V, C]
        }
        return t;
    }

    /** Llama's tensors: already LlamaForCausalLM's names and [out, in] layouts. */
    private static Map<String, INDArray> llamaTensors(Gpt model) {
        Map<String, INDArray> t = new LinkedHashMap<>();
        model.params().asMap().forEach((k, v) -> t.put(k, v.castTo(DataType.FLOAT)));
        return t;
    }

    private static INDArray zeros(int n) {
        return Nd4j.zeros(DataType.FLOAT, n);
    }

    private static ObjectNode gpt2Config(ModelConfig c, Tokenizer tok) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("GPT2LMHeadModel");
        n.put("model_type", "gpt2").put("vocab_size", c.vocabSize()).put("n_positions", c.blockSize())
                .put("n_ctx", c.blockSize()).put("n_embd", c.nEmbd()).put("n_layer", c.nLayer())
                .put("n_head", c.nHead()).put("n_inner", c.mlpHidden()).put("activation_function", c.activation())
                .put("resid_pdrop", c.dropout()).put("embd_pdrop", c.dropout()).put("attn_pdrop", c.dropout())
                .put("layer_norm_epsilon", LayerNorm.EPS).put("initializer_range", 0.02)
                .put("scale_attn_weights", true).put("use_cache", true)
                .put("tie_word_embeddings", c.tiedEmbeddings()).put("torch_dtype", "float32");
        specialIds(n, tok);
        return n;
    }

    private static ObjectNode llamaConfig(ModelConfig c, Tokenizer tok) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("LlamaForCausalLM");
        n.put("model_type", "llama").put("vocab_size", c.vocabSize()).put("hidden_size", c.nEmbd())
                .put("intermediate_size", c.mlpHidden()).put("num_hidden_layers", c.nLayer())
                .put("num_attention_heads", c.nHead()).put("num_key_value_heads", c.kvHeads())
                .put("head_dim", c.headSize()).put("hidden_act", "silu").put("max_position_embeddings", c.blockSize())
                .put("rms_norm_eps", c.rmsNormEps()).put("rope_theta", c.ropeTheta()).putNull("rope_scaling")
                .put("attention_bias", false).put("mlp_bias", false).put("attention_dropout", c.dropout())
                .put("initializer_range", 0.02).put("use_cache", true)
                .put("tie_word_embeddings", c.tiedEmbeddings()).put("torch_dtype", "float32");
        specialIds(n, tok);
        return n;
    }

    private static void specialIds(ObjectNode n, Tokenizer tok) {
        tok.specialTokenId(SpecialTokens::bos).ifPresent(id -> n.put("bos_token_id", id));
        tok.specialTokenId(SpecialTokens::eos).ifPresent(id -> n.put("eos_token_id", id));
    }
}
