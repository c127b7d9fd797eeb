package org.autoreg.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.autoreg.core.io.CorruptFileException;
import org.autoreg.core.io.SafeTensors;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.LayerNorm;
import org.autoreg.core.nn.Params;
import org.autoreg.core.nn.PositionalEncoding;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a Hugging Face {@code transformers} checkpoint directory as an autoreg model:
 * {@code model_type} gpt2 (GPT2LMHeadModel), llama, and the Llama-shaped mistral and qwen2 where
 * they map without loss. Weights from {@code model.safetensors} or shards listed in
 * {@code model.safetensors.index.json}, F32/F16/BF16 (read as float32); the tokenizer from
 * {@code tokenizer.json}, or GPT-2's {@code vocab.json} + {@code merges.txt}. Anything that would
 * change what the model computes (another activation, RoPE scaling, biases autoreg's Llama has
 * not, a sliding window inside the context) is an error naming it.
 */
final class HfImport {
    static final Set<String> SUPPORTED = Set.of("gpt2", "llama", "mistral", "qwen2");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfImport() {
    }

    /** Whether {@code config} is a transformers config.json (a model_type and no autoreg format version). */
    static boolean isHf(JsonNode config) {
        return !config.has("autoreg_format_version") && config.has("model_type");
    }

    /** The autoreg model config of a transformers config.json; an error naming what does not map. */
    static ModelConfig config(Path dir, JsonNode c) {
        String type = c.path("model_type").asText();
        if (!SUPPORTED.contains(type)) {
            throw new IllegalArgumentException(dir + ": model_type '" + type + "' is not supported; autoreg reads "
                    + "gpt2, llama, mistral and qwen2 checkpoints");
        }
        return type.equals("gpt2") ? gpt2(dir, c) : llama(dir, c, type);
    }

    private static ModelConfig gpt2(Path dir, JsonNode c) {
        int nEmbd = c.path("n_embd").asInt();
        String act = c.path("activation_function").asText("gelu_new");
        String activation = switch (act) {
            case "gelu" -> ModelConfig.GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> ModelConfig.GELU_TANH;   // the same tanh formula
            default -> throw new IllegalArgumentException(dir.resolve("config.json") + ": activation_function '" + act
                    + "' is not supported (gelu, the exact erf form, or gelu_new / gelu_pytorch_tanh, GPT-2's tanh "
                    + "approximation)");
        };
        require(dir, c.path("n_inner").isNull() || c.path("n_inner").isMissingNode()
                || c.path("n_inner").asInt() == 4 * nEmbd, "n_inner " + c.path("n_inner").asInt() + " is not 4·n_embd ("
                + 4 * nEmbd + "), the only MLP width autoreg's GPT-2 has");
        double eps = c.path("layer_norm_epsilon").asDouble(1e-5);
        require(dir, Math.abs(eps - LayerNorm.EPS) < 1e-12, "layer_norm_epsilon " + eps + " is not " + LayerNorm.EPS
                + ", the epsilon autoreg's LayerNorm uses");
        require(dir, !c.path("scale_attn_by_inverse_layer_idx").asBoolean(false)
                && c.path("scale_attn_weights").asBoolean(true), "attention scaling other than 1/√head_size is not "
                + "supported");
        int blockSize = c.has("n_positions") ? c.path("n_positions").asInt() : c.path("n_ctx").asInt();
        return new ModelConfig(c.path("vocab_size").asInt(), blockSize, c.path("n_layer").asInt(),
                c.path("n_head").asInt(), nEmbd, 0, true, c.path("tie_word_embeddings").asBoolean(true),
                PositionalEncoding.Kind.LEARNED, 0, ModelConfig.Architecture.GPT2, null, null, null, null, activation);
    }

    private static ModelConfig llama(Path dir, JsonNode c, String type) {
        int hidden = c.path("hidden_size").asInt();
        int heads = c.path("num_attention_heads").asInt();
        require(dir, heads > 0 && hidden % heads == 0, "hidden_size " + hidden + " is not a multiple of "
                + "num_attention_heads " + heads);
        String act = c.path("hidden_act").asText("silu");
        require(dir, act.equals("silu"), "hidden_act '" + act + "' is not supported (autoreg's Llama MLP is SwiGLU, silu)");
        require(dir, c.path("rope_scaling").isNull() || c.path("rope_scaling").isMissingNode(), "rope_scaling "
                + c.path("rope_scaling") + " is not supported (plain RoPE only)");
        require(dir, !c.path("attention_bias").asBoolean(false) && !c.path("mlp_bias").asBoolean(false),
                "attention_bias/mlp_bias: autoreg's Llama has no biases");
        if (c.has("head_dim") && !c.path("head_dim").isNull()) {
            require(dir, c.path("head_dim").asInt() == hidden / heads, "head_dim " + c.path("head_dim").asInt()
                    + " is not hidden_size / num_attention_heads = " + hidden / heads);
        }
        int block = c.path("max_position_embeddings").asInt(2048);
        if (type.equals("mistral") || type.equals("qwen2")) {
            JsonNode sw = c.path("sliding_window");
            boolean used = !sw.isNull() && !sw.isMissingNode() && sw.asInt() < block
                    && c.path("use_sliding_window").asBoolean(type.equals("mistral"));
            require(dir, !used, "sliding_window " + sw.asInt() + " is shorter than the context (" + block + "); "
                    + "autoreg's attention sees the whole context");
        }
        return new ModelConfig(c.path("vocab_size").asInt(), block, c.path("num_hidden_layers").asInt(), heads, hidden,
                0, false, c.path("tie_word_embeddings").asBoolean(false), null, 0, ModelConfig.Architecture.LLAMA,
                c.path("num_key_value_heads").asInt(heads), c.path("intermediate_size").asInt(),
                c.path("rope_theta").asDouble(10000.0), c.path("rms_norm_eps").asDouble(1e-6));
    }

    private static void require(Path dir, boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(dir.resolve("config.json") + ": " + message);
        }
    }

    /** Loads the checkpoint in {@code dir} (whose config.json is {@code c}). */
    static ModelDirectory.Loaded load(Path dir, JsonNode c) throws IOException {
        ModelConfig config = config(dir, c);
        Map<String, INDArray> weights = weights(dir);
        boolean gpt2 = config.architecture() == ModelConfig.Architecture.GPT2;
        Params params = new Params(DataType.FLOAT, 0);
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            String name = e.getKey();
            INDArray a = e.getValue();
            if (gpt2) {
                if (name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias")) {
                    continue;                                // the causal mask, a buffer
                }
                if (!name.startsWith("transformer.") && !name.equals(Gpt.LM_HEAD)) {
                    name = "transformer." + name;            // saved from GPT2Model rather than GPT2LMHeadModel
                }
            } else if (name.contains("_proj.bias")) {
                throw new IllegalArgumentException(dir + ": tensor " + name + " is a projection bias, which autoreg's "
                        + "Llama has not (e.g. qwen2's q/k/v biases); this checkpoint does not map without loss");
            }
            if (name.equals(Gpt.LM_HEAD)) {
                if (config.tiedEmbeddings()) {
                    continue;                                // the tied copy of the embedding
                }
                if (gpt2) {
                    a = a.transpose().dup('c');              // nn.Linear [V, C] → autoreg's GPT-2 head [C, V]
                }
            }
            params.put(name, a.castTo(DataType.FLOAT));
        }
        Gpt model;
        try {
            model = new Gpt(config, params);
        } catch (IllegalArgumentException e) {
            throw new CorruptFileException(dir + ": the weights do not match config.json: " + e.getMessage());
        }
        Set<String> unused = new TreeSet<>(params.names());
        unused.removeAll(model.params().names());
        if (!unused.isEmpty()) {
            throw new CorruptFileException(dir + ": tensors the model has no place for: " + unused);
        }
        return ModelDirectory.withTokenizer(dir, model);
    }

    /** Every tensor of the checkpoint: one file, or the shards its index lists (each must be there). */
    private static Map<String, INDArray> weights(Path dir) throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
            Set<String> shards = new TreeSet<>();
            map.forEach(f -> shards.add(f.asText()));
            for (String shard : shards) {
                Path f = dir.resolve(shard);
                if (!Files.isRegularFile(f)) {
                    throw new IOException(dir + ": shard " + shard + " (listed in model.safetensors.index.json) is "
                            + "missing; download it again");
                }
                out.putAll(SafeTensors.read(f).tensors());
            }
            for (var it = map.fields(); it.hasNext(); ) {
                String name = it.next().getKey();
                if (!out.containsKey(name)) {
                    throw new CorruptFileException(dir + ": tensor " + name + " is listed in the index but in no shard");
                }
            }
            return out;
        }
        Path single = dir.resolve(ModelDirectory.WEIGHTS);
        if (!Files.isRegularFile(single)) {
            throw new IOException(dir + " has neither model.safetensors nor model.safetensors.index.json (PyTorch "
                    + ".bin checkpoints are not read; save it with safe_serialization=True)");
        }
        return SafeTensors.read(single).tensors();
    }
}
