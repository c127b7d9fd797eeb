package org.autoreg.tokenizer;

/**
 * A token produced by a {@link Model}: its id, its string in the vocabulary, and the char span
 * {@code [start, end)} of the model input it covers.
 */
public record Token(int id, String value, int start, int end) {
}
