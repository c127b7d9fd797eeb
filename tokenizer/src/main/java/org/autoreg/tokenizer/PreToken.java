package org.autoreg.tokenizer;

/**
 * One piece of pre-tokenized text, as Hugging Face's {@code pre_tokenize_str} returns it.
 *
 * @param text  the piece as the model sees it (for byte-level pre-tokenizers its GPT-2 byte
 *              mapping, e.g. "Ġworld" for " world")
 * @param start start char offset of the piece in the (normalized) input
 * @param end   end char offset (exclusive)
 */
public record PreToken(String text, int start, int end) {
}
