package org.autoreg.core.data;

/**
 * Language-modelling examples: {@code x[b]} is a window of blockSize tokens and {@code y[b]} the
 * same window shifted by one, so {@code y[b][t]} is the token that follows {@code x[b][0..t]}.
 */
public record Batch(int[][] x, int[][] y) {
}
