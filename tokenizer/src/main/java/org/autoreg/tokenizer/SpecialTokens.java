package org.autoreg.tokenizer;

/**
 * The roles of special tokens (Hugging Face's {@code bos_token}, {@code eos_token},
 * {@code pad_token}, {@code unk_token} of tokenizer_config.json); each may be null.
 */
public record SpecialTokens(String bos, String eos, String pad, String unk) {
    public static final SpecialTokens NONE = new SpecialTokens(null, null, null, null);
}
