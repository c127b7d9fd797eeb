package org.autoreg.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.autoreg.core.nn.PositionalEncoding;

/**
 * The shape of a decoder-only transformer, as {@code config.json} stores it (snake_case keys,
 * like nanoGPT and Hugging Face). Validated on construction with messages that name the fix.
 *
 * <p>Two architectures share the pre-norm block {@code x + attn(norm(x))}, {@code x + mlp(norm(x))}:
 * <ul>
 * <li>{@code gpt2} (GPT-2 / nanoGPT): learned or sinusoidal positions added to the token
 *     embeddings, LayerNorm, a GELU MLP of width 4·nEmbd, optional biases;</li>
 * <li>{@code llama} (Llama / llama2.c): rotary positions (RoPE, rotate-half) inside attention,
 *     RMSNorm, a SwiGLU MLP of width {@code intermediateSize}, grouped-query attention with
 *     {@code nKvHead} key/value heads, no biases.</li>
 * </ul>
 * The Llama-only fields are null for gpt2 (and absent from its JSON).
 *
 * @param vocabSize        number of token ids
 * @param blockSize        context length: the most tokens the model sees at once
 * @param nLayer           transformer blocks
 * @param nHead            attention (query) heads per block
 * @param nEmbd            width of the residual stream (divisible by nHead)
 * @param dropout          dropout probability during training, [0, 1)
 * @param bias             biases in Linear and LayerNorm layers (gpt2 only; nanoGPT's CPU recipe: false)
 * @param tiedEmbeddings   the LM head reuses the token embedding matrix
 * @param positional       learned or sinusoidal position encodings (gpt2); null for llama (RoPE)
 * @param seed             seed of the weight initialization
 * @param architecture     gpt2 (default) or llama
 * @param nKvHead          llama: key/value heads (divides nHead; 1 = multi-query, nHead = multi-head)
 * @param intermediateSize llama: width of the SwiGLU MLP
 * @param ropeTheta        llama: base of the rotary frequencies (10000)
 * @param rmsNormEps       llama: ε of RMSNorm (1e-5)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("block_size") int blockSize,
        @JsonProperty("n_layer") int nLayer,
        @JsonProperty("n_head") int nHead,
        @JsonProperty("n_embd") int nEmbd,
        @JsonProperty("dropout") double dropout,
        @JsonProperty("bias") boolean bias,
        @JsonProperty("tied_embeddings") boolean tiedEmbeddings,
        @JsonProperty("positional") PositionalEncoding.Kind positional,
        @JsonProperty("seed") long seed,
        @JsonProperty("architecture") Architecture architecture,
        @JsonProperty("n_kv_head") Integer nKvHead,
        @JsonProperty("intermediate_size") Integer intermediateSize,
        @JsonProperty("rope_theta") Double ropeTheta,
        @JsonProperty("rms_norm_eps") Double rmsNormEps,
        @JsonProperty("activation") String activation) {

    /** The model families; their JSON names are Hugging Face's {@code model_type}s. */
    public enum Architecture {
        GPT2, LLAMA;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Architecture parse(String s) {
            for (Architecture a : values()) {
                if (a.jsonName().equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("model config: unknown architecture '" + s + "'; choose gpt2 or llama");
        }
    }

    @JsonCreator
    public ModelConfig {
        if (architecture == null) {
            architecture = Architecture.GPT2;
        }
        require(vocabSize >= 1, "vocab_size must be at least 1, got " + vocabSize);
        require(blockSize >= 1, "block_size must be at least 1, got " + blockSize);
        require(nLayer >= 1, "n_layer must be at least 1, got " + nLayer);
        require(nHead >= 1, "n_head must be at least 1, got " + nHead);
        require(nEmbd >= 1, "n_embd must be at least 1, got " + nEmbd);
        require(nEmbd % nHead == 0, "n_embd " + nEmbd + " is not divisible by n_head " + nHead + "; choose n_embd a "
                + "multiple of n_head (e.g. " + (nEmbd / nHead + 1) * nHead + ") or another n_head");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        if (architecture == Architecture.GPT2) {
            if (positional == null) {
                positional = PositionalEncoding.Kind.LEARNED;
            }
            if (activation == null) {
                activation = GELU;
            }
            require(activation.equals(GELU) || activation.equals(GELU_TANH), "activation must be " + GELU + " (exact, "
                    + "erf) or " + GELU_TANH + " (GPT-2's tanh approximation) for gpt2, not '" + activation + "'");
            notFor("n_kv_head", nKvHead);
            notFor("intermediate_size", intermediateSize);
            notFor("rope_theta", ropeTheta);
            notFor("rms_norm_eps", rmsNormEps);
        } else {
            require(positional == null, "positional does not apply to llama (its positions are rotary, RoPE); remove "
                    + "the key or use architecture=gpt2");
            require(!bias, "llama has no biases; set bias=false or use architecture=gpt2");
            if (activation == null) {
                activation = SILU;
            }
            require(activation.equals(SILU), "llama's MLP is SwiGLU (silu); activation '" + activation + "' does not "
                    + "apply");
            if (nKvHead == null) {
                nKvHead = nHead;
            }
            require(nKvHead >= 1 && nHead % nKvHead == 0, "n_head " + nHead + " is not a multiple of n_kv_head "
                    + nKvHead + "; choose n_kv_head dividing n_head (1 = multi-query, " + nHead + " = multi-head)");
            require((nEmbd / nHead) % 2 == 0, "rotary positions need an even head size, but n_embd / n_head = "
                    + nEmbd / nHead + "; choose n_embd and n_head with an even quotient");
            if (intermediateSize == null) {
                intermediateSize = swigluHidden(nEmbd, 32);
            }
            require(intermediateSize >= 1, "intermediate_size must be at least 1, got " + intermediateSize);
            if (ropeTheta == null) {
                ropeTheta = 10000.0;
            }
            require(ropeTheta > 1, "rope_theta must be greater than 1, got " + ropeTheta);
            if (rmsNormEps == null) {
                rmsNormEps = 1e-5;
            }
            require(rmsNormEps > 0, "rms_norm_eps must be positive, got " + rmsNormEps);
        }
    }

    /** The same config with the default activation of its architecture (the form before activations were named). */
    public ModelConfig(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, double dropout, boolean bias,
            boolean tiedEmbeddings, PositionalEncoding.Kind positional, long seed, Architecture architecture,
            Integer nKvHead, Integer intermediateSize, Double ropeTheta, Double rmsNormEps) {
        this(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, seed, architecture,
                nKvHead, intermediateSize, ropeTheta, rmsNormEps, null);
    }

    /** The exact GELU (PyTorch's {@code F.gelu}, Hugging Face's {@code gelu}): gpt2's default. */
    public static final String GELU = "gelu";
    /** GPT-2's tanh approximation of GELU (Hugging Face's {@code gelu_new}). */
    public static final String GELU_TANH = "gelu_new";
    /** llama's SwiGLU gate. */
    public static final String SILU = "silu";

    /** Whether the MLP uses GPT-2's tanh approximation of GELU. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean geluTanh() {
        return GELU_TANH.equals(activation);
    }

    /** A gpt2 config (the form every model had before the llama architecture). */
    public ModelConfig(int vocabSize, int blockSize, int nLayer, int nHead, int nEmbd, double dropout, boolean bias,
            boolean tiedEmbeddings, PositionalEncoding.Kind positional, long seed) {
        this(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, seed,
                Architecture.GPT2, null, null, null, null);
    }

    /** A llama config with the default intermediate size, RoPE θ 10000 and RMSNorm ε 1e-5. */
    public static ModelConfig llama(int vocabSize, int blockSize, int nLayer, int nHead, int nKvHead, int nEmbd,
            double dropout, boolean tiedEmbeddings, long seed) {
        return new ModelConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, false, tiedEmbeddings, null, seed,
                Architecture.LLAMA, nKvHead, null, null, null);
    }

    /**
     * llama2.c's SwiGLU width: 2/3 of 4·nEmbd (the same parameter count as a 4·nEmbd GELU MLP),
     * rounded up to a multiple of {@code multipleOf}.
     */
    public static int swigluHidden(int nEmbd, int multipleOf) {
        if (multipleOf < 1) {
            throw new IllegalArgumentException("model config: multiple_of must be at least 1, got " + multipleOf);
        }
        int h = 2 * 4 * nEmbd / 3;
        return multipleOf * ((h + multipleOf - 1) / multipleOf);
    }

    private static void notFor(String key, Object value) {
        require(value == null, key + " applies only to architecture=llama; remove it or set architecture=llama");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("model config: " + message);
        }
    }

    /** nanoGPT's "baby" shakespeare-char model for CPU: 4 layers, 4 heads, 128 wide, context 64. */
    public static ModelConfig babyShakespeare(int vocabSize) {
        return new ModelConfig(vocabSize, 64, 4, 4, 128, 0.0, false, true, PositionalEncoding.Kind.LEARNED, 1337);
    }

    public ModelConfig withVocabSize(int v) {
        return new ModelConfig(v, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, seed,
                architecture, nKvHead, intermediateSize, ropeTheta, rmsNormEps, activation);
    }

    public ModelConfig withBlockSize(int t) {
        return new ModelConfig(vocabSize, t, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, seed,
                architecture, nKvHead, intermediateSize, ropeTheta, rmsNormEps, activation);
    }

    public ModelConfig withSeed(long s) {
        return new ModelConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, s,
                architecture, nKvHead, intermediateSize, ropeTheta, rmsNormEps, activation);
    }

    public ModelConfig withDropout(double p) {
        return new ModelConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, p, bias, tiedEmbeddings, positional, seed,
                architecture, nKvHead, intermediateSize, ropeTheta, rmsNormEps, activation);
    }

    /** Size of one head. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int headSize() {
        return nEmbd / nHead;
    }

    /** Key/value heads: n_kv_head for llama, n_head for gpt2. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int kvHeads() {
        return nKvHead == null ? nHead : nKvHead;
    }

    /** Width of the MLP's hidden layer: 4·nEmbd (gpt2) or intermediate_size (llama). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int mlpHidden() {
        return intermediateSize == null ? 4 * nEmbd : intermediateSize;
    }
}
