package org.autoreg.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.autoreg.core.nn.PositionalEncoding;

/**
 * Everything a training run needs, with nanoGPT's names (snake_case in JSON and {@code --set}).
 * Built from a preset or a JSON file, then {@code key=value} overrides; unknown keys and values
 * of the wrong type are errors that name the key.
 *
 * <p>Every key, with one line on it: {@link #keyHelp()} ({@code autoreg train --list}).
 */
public record TrainConfig(
        @JsonProperty("n_layer") int nLayer,
        @JsonProperty("n_head") int nHead,
        @JsonProperty("n_embd") int nEmbd,
        @JsonProperty("block_size") int blockSize,
        @JsonProperty("dropout") double dropout,
        @JsonProperty("bias") boolean bias,
        @JsonProperty("tied_embeddings") boolean tiedEmbeddings,
        @JsonProperty("positional") String positional,
        @JsonProperty("corpus") String corpus,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("val_fraction") double valFraction,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("gradient_accumulation_steps") int gradientAccumulationSteps,
        @JsonProperty("max_iters") int maxIters,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("min_lr") double minLr,
        @JsonProperty("warmup_iters") int warmupIters,
        @JsonProperty("lr_decay_iters") int lrDecayIters,
        @JsonProperty("decay_lr") boolean decayLr,
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("decay_embeddings") boolean decayEmbeddings,
        @JsonProperty("grad_clip") double gradClip,
        @JsonProperty("eval_interval") int evalInterval,
        @JsonProperty("eval_iters") int evalIters,
        @JsonProperty("log_interval") int logIntervalIters,
        @JsonProperty("max_time_s") double maxTimeS,
        @JsonProperty("seed") long seed,
        @JsonProperty("engine") String engine,
        @JsonProperty("sample_tokens") int sampleTokens,
        @JsonProperty("init_embeddings") String initEmbeddings,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("n_kv_head") Integer nKvHead,
        @JsonProperty("intermediate_size") Integer intermediateSize,
        @JsonProperty("multiple_of") Integer multipleOf,
        @JsonProperty("rope_theta") Double ropeTheta,
        @JsonProperty("rms_norm_eps") Double rmsNormEps,
        @JsonProperty("init_from") String initFrom,
        @JsonProperty("activation") String activation) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys whose default is null (chosen by the architecture) but whose values are numbers. */
    private static final Map<String, String> NULLABLE_NUMBERS = Map.of("n_kv_head", "integer", "intermediate_size",
            "integer", "multiple_of", "integer", "rope_theta", "number", "rms_norm_eps", "number");

    public TrainConfig {
        require(batchSize >= 1, "batch_size must be at least 1");
        require(gradientAccumulationSteps >= 1, "gradient_accumulation_steps must be at least 1");
        require(maxIters >= 0, "max_iters must be ≥ 0");
        require(learningRate > 0, "learning_rate must be positive");
        require(minLr >= 0 && minLr <= learningRate, "min_lr must be in [0, learning_rate]");
        require(warmupIters >= 0, "warmup_iters must be ≥ 0");
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "beta1 and beta2 must be in [0, 1)");
        require(weightDecay >= 0, "weight_decay must be ≥ 0");
        require(gradClip >= 0, "grad_clip must be ≥ 0 (0 disables clipping)");
        require(evalInterval >= 1, "eval_interval must be at least 1");
        require(evalIters >= 1, "eval_iters must be at least 1");
        require(logIntervalIters >= 1, "log_interval must be at least 1");
        require(valFraction > 0 && valFraction < 1, "val_fraction must be in (0, 1)");
        require(maxTimeS >= 0, "max_time_s must be ≥ 0 (0: no limit)");
        require("fast".equals(engine) || "samediff".equals(engine), "engine must be fast or samediff, not '" + engine
                + "'");
        require(sampleTokens >= 0, "sample_tokens must be ≥ 0");
        require(corpus != null && !corpus.isBlank(), "corpus is required (a text file or tinyshakespeare)");
        require(tokenizer != null && !tokenizer.isBlank(), "tokenizer is required (char, bpe:N or a directory)");
        if (architecture == null) {
            architecture = "gpt2";
        }
        boolean llama = "llama".equals(architecture);
        require(llama || "gpt2".equals(architecture), "architecture must be gpt2 or llama, not '" + architecture + "'");
        if (llama) {
            require(positional == null, "positional does not apply to architecture=llama (its positions are rotary, "
                    + "RoPE); remove the key or use architecture=gpt2");
            require(!bias, "architecture=llama has no biases; set bias=false or use architecture=gpt2");
            require(intermediateSize == null || multipleOf == null, "set intermediate_size or multiple_of, not both "
                    + "(multiple_of only rounds the default intermediate size)");
        } else {
            for (Map.Entry<String, Object> e : llamaOnly(nKvHead, intermediateSize, multipleOf, ropeTheta, rmsNormEps)
                    .entrySet()) {
                require(e.getValue() == null, e.getKey() + " applies only to architecture=llama; remove it or set "
                        + "architecture=llama");
            }
            if (positional == null) {
                positional = "learned";
            }
            positionalKind(positional);
        }
        if (lrDecayIters <= 0) {
            lrDecayIters = maxIters;
        }
        try {                                  // every shape rule of the model, checked when the config is read
            model(1, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, seed, architecture,
                    nKvHead, intermediateSize, multipleOf, ropeTheta, rmsNormEps, activation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("model config:", "train config:"));
        }
    }

    /** The keys that apply only to architecture=llama, with their values. */
    private static Map<String, Object> llamaOnly(Integer nKvHead, Integer intermediateSize, Integer multipleOf,
            Double ropeTheta, Double rmsNormEps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_kv_head", nKvHead);
        m.put("intermediate_size", intermediateSize);
        m.put("multiple_of", multipleOf);
        m.put("rope_theta", ropeTheta);
        m.put("rms_norm_eps", rmsNormEps);
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("train config: " + message);
        }
    }

    private static PositionalEncoding.Kind positionalKind(String p) {
        if ("learned".equals(p)) {
            return PositionalEncoding.Kind.LEARNED;
        }
        if ("sinusoidal".equals(p)) {
            return PositionalEncoding.Kind.SINUSOIDAL;
        }
        throw new IllegalArgumentException("train config: positional must be learned or sinusoidal, not '" + p + "'");
    }

    /** The model's config for a vocabulary of {@code vocabSize} (validates n_embd vs n_head). */
    public ModelConfig modelConfig(int vocabSize) {
        return model(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, seed,
                architecture, nKvHead, intermediateSize, multipleOf, ropeTheta, rmsNormEps, activation);
    }

    private static ModelConfig model(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, double dropout,
            boolean bias, boolean tiedEmbeddings, String positional, long seed, String architecture, Integer nKvHead,
            Integer intermediateSize, Integer multipleOf, Double ropeTheta, Double rmsNormEps, String activation) {
        if ("llama".equals(architecture)) {
            Integer hidden = intermediateSize != null ? intermediateSize
                    : ModelConfig.swigluHidden(nEmbd, multipleOf == null ? 32 : multipleOf);
            return new ModelConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, false, tiedEmbeddings, null, seed,
                    ModelConfig.Architecture.LLAMA, nKvHead, hidden, ropeTheta, rmsNormEps, activation);
        }
        return new ModelConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings,
                positionalKind(positional), seed, ModelConfig.Architecture.GPT2, null, null, null, null, activation);
    }

    /** Tokens per optimizer step. */
    public long tokensPerIter() {
        return (long) batchSize * blockSize * gradientAccumulationSteps;
    }

    // ------------------------------------------------------------------ presets and parsing

    /** nanoGPT's train.py defaults where they apply, on tinyshakespeare char-level. */
    static ObjectNode defaults() {
        ObjectNode n = JSON.createObjectNode();
        n.put("n_layer", 4).put("n_head", 4).put("n_embd", 128).put("block_size", 64).put("dropout", 0.0)
                .put("bias", false).put("tied_embeddings", true).putNull("positional")
                .put("corpus", "tinyshakespeare").put("tokenizer", "char").put("val_fraction", 0.1)
                .put("batch_size", 12).put("gradient_accumulation_steps", 1).put("max_iters", 2000)
                .put("learning_rate", 1e-3).put("min_lr", 1e-4).put("warmup_iters", 100).put("lr_decay_iters", 2000)
                .put("decay_lr", true).put("beta1", 0.9).put("beta2", 0.99).put("weight_decay", 0.1)
                .put("decay_embeddings", false).put("grad_clip", 1.0).put("eval_interval", 250).put("eval_iters", 20)
                .put("log_interval", 10).put("max_time_s", 0.0).put("seed", 1337).put("engine", "fast")
                .put("sample_tokens", 300).putNull("init_embeddings").put("architecture", "gpt2").putNull("n_kv_head")
                .putNull("intermediate_size").putNull("multiple_of").putNull("rope_theta").putNull("rms_norm_eps")
                .putNull("init_from").putNull("activation");
        return n;
    }

    /** The built-in configs, by name. */
    public static Map<String, String> presets() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("shakespeare-char-baby", "nanoGPT's CPU recipe: 4 layers, 4 heads, 128 wide, block 64, batch 12, 2,000 "
                + "iterations, lr 1e-3 → 1e-4 (cosine), warmup 100, β2 0.99, weight decay 0.1, clip 1.0, eval every 250 "
                + "over 20 batches; tinyshakespeare, char-level, 90/10 split");
        m.put("shakespeare-char-mini", "the same model for 500 iterations (lr decays by 500, eval every 100): a "
                + "few minutes on a laptop core");
        m.put("shakespeare-char", "nanoGPT's GPU recipe (6 layers, 6 heads, 384 wide, block 256, batch 64, dropout "
                + "0.2, 5,000 iterations) — hours on a CPU");
        m.put("shakespeare-char-llama-baby", "the baby budget as a Llama: 4 layers, 4 heads / 2 kv heads, 128 wide, "
                + "block 64, RoPE, RMSNorm, SwiGLU 352 wide, no biases, tied embeddings; same optimizer, schedule and "
                + "2,000 iterations");
        return m;
    }

    private static ObjectNode preset(String name) {
        ObjectNode n = defaults();
        switch (name) {
            case "shakespeare-char-baby":
                return n;
            case "shakespeare-char-mini":
                return n.put("max_iters", 500).put("lr_decay_iters", 500).put("eval_interval", 100);
            case "shakespeare-char":
                return n.put("n_layer", 6).put("n_head", 6).put("n_embd", 384).put("block_size", 256)
                        .put("batch_size", 64).put("dropout", 0.2).put("max_iters", 5000).put("lr_decay_iters", 5000)
                        .put("warmup_iters", 100).put("eval_interval", 250).put("eval_iters", 200);
            case "shakespeare-char-llama-baby":
                return n.put("architecture", "llama").put("n_kv_head", 2);
            default:
                return null;
        }
    }

    /**
     * The config named {@code nameOrFile} (a preset, or a JSON file whose keys override the
     * defaults), with {@code overrides} ({@code key=value}) applied.
     */
    public static TrainConfig load(String nameOrFile, List<String> overrides) throws IOException {
        ObjectNode base = preset(nameOrFile);
        if (base == null) {
            Path file = Path.of(nameOrFile);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--config '" + nameOrFile + "' is neither a built-in config ("
                        + String.join(", ", presets().keySet()) + ") nor a JSON file");
            }
            JsonNode doc;
            try {
                doc = JSON.readTree(Files.readAllBytes(file));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (!(doc instanceof ObjectNode obj)) {
                throw new IllegalArgumentException(file + ": expected a JSON object of config keys");
            }
            base = defaults();
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                checkKey(e.getKey(), file.toString());
                base.set(e.getKey(), e.getValue());
            }
        }
        return fromNode(applyOverrides(base, overrides));
    }

    /** {@code base} with each {@code key=value} applied (values parsed as JSON, else as strings). */
    static ObjectNode applyOverrides(ObjectNode base, List<String> overrides) {
        ObjectNode n = base.deepCopy();
        for (String o : overrides == null ? List.<String>of() : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set '" + o + "': expected key=value, e.g. --set max_iters=500");
            }
            String key = o.substring(0, eq).trim();
            String value = o.substring(eq + 1).trim();
            checkKey(key, "--set");
            JsonNode parsed;
            try {
                parsed = JSON.readTree(value);
            } catch (JsonProcessingException e) {
                parsed = null;
            }
            n.set(key, parsed == null || parsed.isMissingNode() ? JSON.getNodeFactory().textNode(value) : parsed);
        }
        return n;
    }

    /** The config of a JSON object holding every key. */
    static TrainConfig fromNode(ObjectNode n) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            checkKey(e.getKey(), "config");
            checkType(e.getKey(), e.getValue());
        }
        try {
            return JSON.treeToValue(n, TrainConfig.class);
        } catch (JsonProcessingException e) {
            Throwable c = e.getCause();
            throw new IllegalArgumentException(c instanceof IllegalArgumentException ? c.getMessage()
                    : "train config: " + e.getOriginalMessage());
        }
    }

    /** This config as JSON. */
    public ObjectNode toNode() {
        return JSON.valueToTree(this);
    }

    /** One line on every key, in the order of {@link #keys()} (for {@code train --list}). */
    public static Map<String, String> keyHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("n_layer", "transformer blocks");
        m.put("n_head", "attention (query) heads");
        m.put("n_embd", "residual stream width");
        m.put("block_size", "context length");
        m.put("dropout", "dropout probability in [0, 1): on the embeddings, the attention weights and each residual branch");
        m.put("bias", "gpt2: biases in Linear and LayerNorm (llama has none)");
        m.put("tied_embeddings", "LM head = token embedding matrix");
        m.put("positional", "gpt2: learned or sinusoidal position table (null: learned); llama positions are rotary");
        m.put("corpus", "a text file or a catalogue name (tinyshakespeare)");
        m.put("tokenizer", "char, bpe:N or a tokenizer directory");
        m.put("val_fraction", "share of the text held out for validation (its end)");
        m.put("batch_size", "sequences per micro-batch");
        m.put("gradient_accumulation_steps", "micro-batches per optimizer step");
        m.put("max_iters", "optimizer steps");
        m.put("learning_rate", "peak learning rate");
        m.put("min_lr", "learning rate at the end of the cosine decay");
        m.put("warmup_iters", "linear warm-up steps");
        m.put("lr_decay_iters", "step where the cosine decay reaches min_lr");
        m.put("decay_lr", "false: constant learning rate");
        m.put("beta1", "AdamW β1");
        m.put("beta2", "AdamW β2");
        m.put("weight_decay", "AdamW decoupled weight decay (matrices only)");
        m.put("decay_embeddings", "also decay the embedding tables (nanoGPT's code does; the default, like minGPT, does not)");
        m.put("grad_clip", "global gradient-norm clip (0: none)");
        m.put("eval_interval", "steps between evaluations (and checkpoints)");
        m.put("eval_iters", "batches per evaluation and split");
        m.put("log_interval", "steps between metrics lines");
        m.put("max_time_s", "stop after this many seconds (0: no limit)");
        m.put("seed", "seed of weights, batches and samples");
        m.put("engine", "fast (the layer kernels) or samediff (the SameDiff autodiff graph they are checked against)");
        m.put("sample_tokens", "tokens to sample from the model at the end (0: none)");
        m.put("init_embeddings", "word2vec vectors to initialise the token embeddings from, or null");
        m.put("architecture", "gpt2 (learned positions, LayerNorm, GELU) or llama (RoPE, RMSNorm, SwiGLU, GQA)");
        m.put("n_kv_head", "llama: key/value heads (null: n_head; 1: multi-query)");
        m.put("intermediate_size", "llama: SwiGLU width (null: 2/3·4·n_embd rounded up to multiple_of)");
        m.put("multiple_of", "llama: rounding of the default SwiGLU width (null: 32)");
        m.put("rope_theta", "llama: RoPE base (null: 10000)");
        m.put("rms_norm_eps", "llama: RMSNorm ε (null: 1e-5)");
        m.put("activation", "gpt2: gelu (exact, erf; null: gelu) or gelu_new (GPT-2's tanh approximation); llama: silu");
        m.put("init_from", "a model directory (autoreg or Hugging Face) to start from: its weights, shape and "
                + "tokenizer, with a fresh optimizer and schedule (train --init-from), or null");
        return m;
    }

    /** The keys that fix the model's shape (an --init-from checkpoint supplies them). */
    static final List<String> SHAPE_KEYS = List.of("architecture", "n_layer", "n_head", "n_embd", "block_size", "bias",
            "tied_embeddings", "positional", "n_kv_head", "intermediate_size", "multiple_of", "rope_theta",
            "rms_norm_eps", "activation");

    /**
     * {@code key=value} overrides that give a config the shape of a model whose config (autoreg's
     * keys, as {@code ModelDirectory.Info.config()}) is {@code model}.
     */
    public static List<String> shapeOf(JsonNode model) {
        List<String> out = new ArrayList<>();
        for (String k : SHAPE_KEYS) {
            JsonNode v = model.get(k);
            out.add(k + "=" + (v == null || v.isNull() || k.equals("multiple_of") ? "null" : v.isTextual()
                    ? v.asText().toLowerCase(java.util.Locale.ROOT) : v.toString()));
        }
        return out;
    }

    /** JSON names of all keys. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            keys.add(c.getAccessor().getAnnotation(JsonProperty.class).value());
        }
        return keys;
    }

    private static void checkKey(String key, String where) {
        List<String> keys = keys();
        if (!keys.contains(key)) {
            String near = keys.stream().min(Comparator.comparingInt(k -> distance(k, key))).orElse("");
            throw new IllegalArgumentException(where + ": unknown config key '" + key + "'"
                    + (distance(near, key) <= 3 ? " (did you mean '" + near + "'?)" : "") + "; valid keys: "
                    + String.join(", ", keys));
        }
    }

    private static void checkType(String key, JsonNode v) {
        JsonNode example = defaults().get(key);
        String nullableNumber = NULLABLE_NUMBERS.get(key);
        if (nullableNumber != null) {
            boolean ok = v.isNull() || ("integer".equals(nullableNumber) ? v.isIntegralNumber() || (v.isNumber()
                    && v.asDouble() == Math.rint(v.asDouble())) : v.isNumber());
            if (!ok) {
                throw new IllegalArgumentException("config key " + key + " must be " + ("integer".equals(nullableNumber)
                        ? "an integer" : "a number") + " (or null for the default), got " + v);
            }
            return;
        }
        boolean ok;
        if (example.isNull()) {
            ok = v.isNull() || v.isTextual();
        } else if (example.isBoolean()) {
            ok = v.isBoolean();
        } else if (example.isIntegralNumber()) {
            ok = v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
        } else if (example.isNumber()) {
            ok = v.isNumber();
        } else {
            ok = v.isTextual();
        }
        if (!ok) {
            String kind = example.isBoolean() ? "true or false" : example.isIntegralNumber() ? "an integer"
                    : example.isNumber() ? "a number" : "a string";
            throw new IllegalArgumentException("config key " + key + " must be " + kind + ", got " + v);
        }
    }

    /** Levenshtein distance, for "did you mean". */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1)
                        ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
