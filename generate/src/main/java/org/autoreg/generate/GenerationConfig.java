package org.autoreg.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to generate: Hugging Face's {@code GenerationConfig}, with its {@code generation_config.json}
 * keys. Every field may be null, meaning "not set here": configs are layered with
 * {@link #merge} (the model directory's defaults, then the request), and what is still unset
 * takes Hugging Face's default:
 *
 * <table>
 * <caption>Fields, JSON keys and defaults</caption>
 * <tr><th>field</th><th>JSON key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>maxNewTokens</td><td>max_new_tokens</td><td>20</td><td>tokens to generate at most; wins over maxLength</td></tr>
 * <tr><td>maxLength</td><td>max_length</td><td>—</td><td>prompt + new tokens at most</td></tr>
 * <tr><td>minNewTokens</td><td>min_new_tokens</td><td>0</td><td>EOS is suppressed before this many new tokens</td></tr>
 * <tr><td>doSample</td><td>do_sample</td><td>false</td><td>sample (true) or take the most likely token (false)</td></tr>
 * <tr><td>temperature</td><td>temperature</td><td>1.0</td><td>divides the logits; 0 means greedy</td></tr>
 * <tr><td>topK</td><td>top_k</td><td>50</td><td>keep the k most likely tokens; 0 = off</td></tr>
 * <tr><td>topP</td><td>top_p</td><td>1.0</td><td>keep the smallest set with probability ≥ p</td></tr>
 * <tr><td>minP</td><td>min_p</td><td>off</td><td>drop tokens below minP × the top probability</td></tr>
 * <tr><td>repetitionPenalty</td><td>repetition_penalty</td><td>1.0</td><td>&gt; 1 discourages tokens already in the text</td></tr>
 * <tr><td>noRepeatNgramSize</td><td>no_repeat_ngram_size</td><td>0</td><td>forbid repeating any n-gram of this size</td></tr>
 * <tr><td>eosTokenIds</td><td>eos_token_id</td><td>none</td><td>ids that end the text (not emitted)</td></tr>
 * <tr><td>stopStrings</td><td>stop_strings</td><td>none</td><td>strings that end the text (not emitted)</td></tr>
 * <tr><td>seed</td><td>seed</td><td>1337</td><td>seed of the sampling stream (autoreg extension)</td></tr>
 * <tr><td>numReturnSequences</td><td>num_return_sequences</td><td>1</td><td>samples per prompt</td></tr>
 * <tr><td>useCache</td><td>use_cache</td><td>true</td><td>decode with the key/value cache</td></tr>
 * <tr><td>contextOverflow</td><td>context_overflow</td><td>slide</td><td>beyond the model's context: slide, refill or error (autoreg extension)</td></tr>
 * </table>
 *
 * <p>Immutable; build one with {@link #builder()} or read one with {@link #fromJson}. Values are
 * checked by {@link #validate()}, which the generator calls.
 */
public record GenerationConfig(
        Integer maxNewTokens,
        Integer maxLength,
        Integer minNewTokens,
        Boolean doSample,
        Double temperature,
        Integer topK,
        Double topP,
        Double minP,
        Double repetitionPenalty,
        Integer noRepeatNgramSize,
        List<Integer> eosTokenIds,
        List<String> stopStrings,
        Long seed,
        Integer numReturnSequences,
        Boolean useCache,
        ContextOverflow contextOverflow) {

    /** Hugging Face's defaults, used for whatever no layer sets. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 20;
    public static final int DEFAULT_TOP_K = 50;
    public static final long DEFAULT_SEED = 1337;

    /** A config that sets nothing. */
    public static final GenerationConfig EMPTY = builder().build();

    /** What to do when the prompt plus the new tokens exceed the model's context (blockSize). */
    public enum ContextOverflow {
        /** Keep the last blockSize tokens and recompute them for every new token (exact). */
        SLIDE,
        /**
         * When the cache is full, keep the last blockSize/2 tokens, recompute their cache, and
         * continue incrementally: much faster, but the context shrinks to half a window at each refill
         * (what nanoGPT-style KV-cache samplers do). Same as SLIDE when the cache is off.
         */
        REFILL,
        /** Refuse the request. */
        ERROR;

        static ContextOverflow parse(String s) {
            for (ContextOverflow o : values()) {
                if (o.name().equalsIgnoreCase(s)) {
                    return o;
                }
            }
            throw new GenerationException("context_overflow: '" + s + "' is not one of slide, refill, error");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keys of Hugging Face generation configs that describe the model, not a decoding choice; ignored. */
    private static final Set<String> IGNORED = Set.of("bos_token_id", "pad_token_id", "decoder_start_token_id",
            "transformers_version", "_from_model_config", "output_scores", "return_dict_in_generate",
            "output_attentions", "output_hidden_states", "early_stopping", "length_penalty", "num_beam_groups",
            "diversity_penalty", "forced_bos_token_id", "forced_eos_token_id");

    private static final List<String> KEYS = List.of("max_new_tokens", "max_length", "min_new_tokens", "do_sample",
            "temperature", "top_k", "top_p", "min_p", "repetition_penalty", "no_repeat_ngram_size", "eos_token_id",
            "stop_strings", "seed", "num_return_sequences", "use_cache", "context_overflow");

    public GenerationConfig {
        eosTokenIds = eosTokenIds == null ? null : List.copyOf(eosTokenIds);
        stopStrings = stopStrings == null ? null : List.copyOf(stopStrings);
    }

    /** The JSON keys this config reads and writes. */
    public static List<String> keys() {
        return KEYS;
    }

    /**
     * Checks every value that is set, throwing a {@link GenerationException} that names the key,
     * the value and the accepted range.
     */
    public GenerationConfig validate() {
        check(maxNewTokens == null || maxNewTokens >= 1, "max_new_tokens", maxNewTokens, "must be at least 1");
        check(maxLength == null || maxLength >= 1, "max_length", maxLength, "must be at least 1");
        check(minNewTokens == null || minNewTokens >= 0, "min_new_tokens", minNewTokens, "must be 0 or more");
        check(temperature == null || temperature >= 0 && Double.isFinite(temperature), "temperature", temperature,
                "must be ≥ 0 (0 means greedy; 1 leaves the distribution as it is)");
        check(topK == null || topK >= 0, "top_k", topK, "must be ≥ 0 (0 turns top-k off)");
        check(topP == null || topP > 0 && topP <= 1, "top_p", topP, "must be in (0, 1] (1 turns top-p off)");
        check(minP == null || minP >= 0 && minP <= 1, "min_p", minP, "must be in [0, 1] (0 turns min-p off)");
        check(repetitionPenalty == null || repetitionPenalty > 0 && Double.isFinite(repetitionPenalty),
                "repetition_penalty", repetitionPenalty, "must be > 0 (1 turns it off; > 1 discourages repeats)");
        check(noRepeatNgramSize == null || noRepeatNgramSize >= 0, "no_repeat_ngram_size", noRepeatNgramSize,
                "must be ≥ 0 (0 turns it off)");
        check(numReturnSequences == null || numReturnSequences >= 1, "num_return_sequences", numReturnSequences,
                "must be at least 1");
        if (eosTokenIds != null) {
            for (Integer id : eosTokenIds) {
                check(id != null && id >= 0, "eos_token_id", id, "must be token ids ≥ 0");
            }
        }
        if (stopStrings != null) {
            for (String s : stopStrings) {
                check(s != null && !s.isEmpty(), "stop_strings", s == null ? null : "\"\"", "must be non-empty strings");
            }
        }
        return this;
    }

    private static void check(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new GenerationException(key + " = " + value + ": " + rule);
        }
    }

    /**
     * This config with every field that {@code over} sets replaced by {@code over}'s value. A layer
     * that sets only one of max_new_tokens and max_length clears the other, so that a request's
     * max_length is not overridden by a model default's max_new_tokens.
     */
    public GenerationConfig merge(GenerationConfig over) {
        Integer newTokens = over.maxNewTokens != null ? over.maxNewTokens : over.maxLength != null ? null : maxNewTokens;
        Integer length = over.maxLength != null ? over.maxLength : over.maxNewTokens != null ? null : maxLength;
        return new GenerationConfig(newTokens, length, or(over.minNewTokens, minNewTokens), or(over.doSample, doSample),
                or(over.temperature, temperature), or(over.topK, topK), or(over.topP, topP), or(over.minP, minP),
                or(over.repetitionPenalty, repetitionPenalty), or(over.noRepeatNgramSize, noRepeatNgramSize),
                or(over.eosTokenIds, eosTokenIds), or(over.stopStrings, stopStrings), or(over.seed, seed),
                or(over.numReturnSequences, numReturnSequences), or(over.useCache, useCache),
                or(over.contextOverflow, contextOverflow));
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    // ------------------------------------------------------------------ JSON

    /**
     * Reads a {@code generation_config.json} object. Model-description keys of Hugging Face configs
     * ({@code bos_token_id}, {@code pad_token_id}, {@code transformers_version}, …) are ignored;
     * any other unknown key, a value of the wrong type, or beam search ({@code num_beams} &gt; 1) is a
     * {@link GenerationException} naming the key.
     */
    public static GenerationConfig fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return EMPTY;
        }
        if (!node.isObject()) {
            throw new GenerationException("a generation config must be a JSON object, got " + node.getNodeType());
        }
        Builder b = builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull() || IGNORED.contains(k)) {
                continue;
            }
            switch (k) {
                case "max_new_tokens" -> b.maxNewTokens(integer(k, v));
                case "max_length" -> b.maxLength(integer(k, v));
                case "min_new_tokens" -> b.minNewTokens(integer(k, v));
                case "do_sample" -> b.doSample(bool(k, v));
                case "temperature" -> b.temperature(number(k, v));
                case "top_k" -> b.topK(integer(k, v));
                case "top_p" -> b.topP(number(k, v));
                case "min_p" -> b.minP(number(k, v));
                case "repetition_penalty" -> b.repetitionPenalty(number(k, v));
                case "no_repeat_ngram_size" -> b.noRepeatNgramSize(integer(k, v));
                case "eos_token_id" -> b.eosTokenIds(v.isArray() ? intList(k, v) : List.of(integer(k, v)));
                case "stop_strings" -> b.stopStrings(v.isArray() ? stringList(k, v) : List.of(string(k, v)));
                case "seed" -> b.seed(longValue(k, v));
                case "num_return_sequences" -> b.numReturnSequences(integer(k, v));
                case "use_cache" -> b.useCache(bool(k, v));
                case "context_overflow" -> b.contextOverflow(ContextOverflow.parse(string(k, v)));
                case "num_beams" -> {
                    if (integer(k, v) != 1) {
                        throw new GenerationException("num_beams = " + v + ": beam search is not supported; "
                                + "use num_beams 1 (greedy or sampling)");
                    }
                }
                default -> throw new GenerationException("unknown generation key '" + k + "'; known keys: "
                        + String.join(", ", KEYS));
            }
        }
        return b.build();
    }

    /** Reads a {@code generation_config.json} file (see {@link #fromJson}). */
    public static GenerationConfig load(Path file) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GenerationException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        try {
            return fromJson(node);
        } catch (GenerationException e) {
            throw new GenerationException(file + ": " + e.getMessage());
        }
    }

    /** The keys this config sets, as a {@code generation_config.json} object. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        if (maxNewTokens != null) o.put("max_new_tokens", maxNewTokens);
        if (maxLength != null) o.put("max_length", maxLength);
        if (minNewTokens != null) o.put("min_new_tokens", minNewTokens);
        if (doSample != null) o.put("do_sample", doSample);
        if (temperature != null) o.put("temperature", temperature);
        if (topK != null) o.put("top_k", topK);
        if (topP != null) o.put("top_p", topP);
        if (minP != null) o.put("min_p", minP);
        if (repetitionPenalty != null) o.put("repetition_penalty", repetitionPenalty);
        if (noRepeatNgramSize != null) o.put("no_repeat_ngram_size", noRepeatNgramSize);
        if (eosTokenIds != null) eosTokenIds.forEach(o.putArray("eos_token_id")::add);
        if (stopStrings != null) stopStrings.forEach(o.putArray("stop_strings")::add);
        if (seed != null) o.put("seed", seed);
        if (numReturnSequences != null) o.put("num_return_sequences", numReturnSequences);
        if (useCache != null) o.put("use_cache", useCache);
        if (contextOverflow != null) o.put("context_overflow", contextOverflow.name().toLowerCase(java.util.Locale.ROOT));
        return o;
    }

    private static int integer(String k, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw typeError(k, v, "an integer");
        }
        return v.intValue();
    }

    private static long longValue(String k, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw typeError(k, v, "an integer");
        }
        return v.longValue();
    }

    private static double number(String k, JsonNode v) {
        if (!v.isNumber()) {
            throw typeError(k, v, "a number");
        }
        return v.doubleValue();
    }

    private static boolean bool(String k, JsonNode v) {
        if (!v.isBoolean()) {
            throw typeError(k, v, "true or false");
        }
        return v.booleanValue();
    }

    private static String string(String k, JsonNode v) {
        if (!v.isTextual()) {
            throw typeError(k, v, "a string");
        }
        return v.textValue();
    }

    private static List<Integer> intList(String k, JsonNode v) {
        List<Integer> out = new ArrayList<>();
        v.forEach(x -> out.add(integer(k, x)));
        return out;
    }

    private static List<String> stringList(String k, JsonNode v) {
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(string(k, x)));
        return out;
    }

    private static GenerationException typeError(String k, JsonNode v, String expected) {
        return new GenerationException(k + " must be " + expected + ", got " + v);
    }

    /** The keys set in this config that only matter when sampling (for the "ignored" warning). */
    List<String> samplingKeysSet() {
        Set<String> s = new LinkedHashSet<>();
        if (temperature != null && temperature != 1.0 && temperature != 0.0) s.add("temperature");
        if (topK != null) s.add("top_k");
        if (topP != null && topP != 1.0) s.add("top_p");
        if (minP != null) s.add("min_p");
        return Collections.unmodifiableList(new ArrayList<>(s));
    }

    // ------------------------------------------------------------------ builder

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxNewTokens = maxNewTokens;
        b.maxLength = maxLength;
        b.minNewTokens = minNewTokens;
        b.doSample = doSample;
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.minP = minP;
        b.repetitionPenalty = repetitionPenalty;
        b.noRepeatNgramSize = noRepeatNgramSize;
        b.eosTokenIds = eosTokenIds;
        b.stopStrings = stopStrings;
        b.seed = seed;
        b.numReturnSequences = numReturnSequences;
        b.useCache = useCache;
        b.contextOverflow = contextOverflow;
        return b;
    }

    /** Builds a {@link GenerationConfig}; a null argument leaves the field unset. */
    public static final class Builder {
        private Integer maxNewTokens;
        private Integer maxLength;
        private Integer minNewTokens;
        private Boolean doSample;
        private Double temperature;
        private Integer topK;
        private Double topP;
        private Double minP;
        private Double repetitionPenalty;
        private Integer noRepeatNgramSize;
        private List<Integer> eosTokenIds;
        private List<String> stopStrings;
        private Long seed;
        private Integer numReturnSequences;
        private Boolean useCache;
        private ContextOverflow contextOverflow;

        private Builder() {
        }

        public Builder maxNewTokens(Integer v) { maxNewTokens = v; return this; }
        public Builder maxLength(Integer v) { maxLength = v; return this; }
        public Builder minNewTokens(Integer v) { minNewTokens = v; return this; }
        public Builder doSample(Boolean v) { doSample = v; return this; }
        public Builder temperature(Double v) { temperature = v; return this; }
        public Builder topK(Integer v) { topK = v; return this; }
        public Builder topP(Double v) { topP = v; return this; }
        public Builder minP(Double v) { minP = v; return this; }
        public Builder repetitionPenalty(Double v) { repetitionPenalty = v; return this; }
        public Builder noRepeatNgramSize(Integer v) { noRepeatNgramSize = v; return this; }
        public Builder eosTokenIds(List<Integer> v) { eosTokenIds = v; return this; }
        public Builder stopStrings(List<String> v) { stopStrings = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder numReturnSequences(Integer v) { numReturnSequences = v; return this; }
        public Builder useCache(Boolean v) { useCache = v; return this; }
        public Builder contextOverflow(ContextOverflow v) { contextOverflow = v; return this; }

        public GenerationConfig build() {
            return new GenerationConfig(maxNewTokens, maxLength, minNewTokens, doSample, temperature, topK, topP, minP,
                    repetitionPenalty, noRepeatNgramSize, eosTokenIds, stopStrings, seed, numReturnSequences, useCache,
                    contextOverflow);
        }
    }
}
