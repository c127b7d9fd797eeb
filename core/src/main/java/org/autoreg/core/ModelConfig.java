package org.autoreg.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.autoreg.core.nn.PositionalEncoding;

/**
 * The shape of a decoder-only transformer, as {@code config.json} stores it (snake_case keys,
 * like nanoGPT and Hugging Face). Validated on construction with messages that name the fix.
 *
 * @param vocabSize      number of token ids
 * @param blockSize      context length: the most tokens the model sees at once
 * @param nLayer         transformer blocks
 * @param nHead          attention heads per block
 * @param nEmbd          width of the residual stream (divisible by nHead)
 * @param dropout        dropout probability during training, [0, 1)
 * @param bias           biases in Linear and LayerNorm layers (nanoGPT's CPU recipe: false)
 * @param tiedEmbeddings the LM head reuses the token embedding matrix (GPT-2)
 * @param positional     learned (GPT) or sinusoidal (fixed) position encodings
 * @param seed           seed of the weight initialization
 */
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
        @JsonProperty("seed") long seed) {

    @JsonCreator
    public ModelConfig {
        require(vocabSize >= 1, "vocab_size must be at least 1, got " + vocabSize);
        require(blockSize >= 1, "block_size must be at least 1, got " + blockSize);
        require(nLayer >= 1, "n_layer must be at least 1, got " + nLayer);
        require(nHead >= 1, "n_head must be at least 1, got " + nHead);
        require(nEmbd >= 1, "n_embd must be at least 1, got " + nEmbd);
        require(nEmbd % nHead == 0, "n_embd " + nEmbd + " is not divisible by n_head " + nHead + "; choose n_embd a "
                + "multiple of n_head (e.g. " + (nEmbd / nHead + 1) * nHead + ") or another n_head");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        if (positional == null) {
            positional = PositionalEncoding.Kind.LEARNED;
        }
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
        return new ModelConfig(v, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, seed);
    }

    public ModelConfig withSeed(long s) {
        return new ModelConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias, tiedEmbeddings, positional, s);
    }

    public ModelConfig withDropout(double p) {
        return new ModelConfig(vocabSize, blockSize, nLayer, nHead, nEmbd, p, bias, tiedEmbeddings, positional, seed);
    }

    /** Size of one head. */
    public int headSize() {
        return nEmbd / nHead;
    }
}
