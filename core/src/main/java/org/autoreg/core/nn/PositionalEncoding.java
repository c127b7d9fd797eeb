package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Position information added to token embeddings; attention alone cannot tell "dog bites man"
 * from "man bites dog". {@link #learned} is GPT's table of trained vectors; {@link #sinusoidal}
 * is the fixed encoding of "Attention Is All You Need": PE(p, 2i) = sin(p / 10000^(2i/d)),
 * PE(p, 2i+1) = cos(p / 10000^(2i/d)).
 */
public final class PositionalEncoding {
    /** The two kinds, as {@code ModelConfig.positional} names them. */
    public enum Kind {
        @com.fasterxml.jackson.annotation.JsonProperty("learned") LEARNED,
        @com.fasterxml.jackson.annotation.JsonProperty("sinusoidal") SINUSOIDAL
    }

    private final Graph g;
    private final SDVariable table;
    private final int blockSize;
    private final boolean learned;

    private PositionalEncoding(Graph g, SDVariable table, int blockSize, boolean learned) {
        this.g = g;
        this.table = table;
        this.blockSize = blockSize;
        this.learned = learned;
    }

    /** A trained table {@code [blockSize, dim]}, N(0, std²) initially. */
    public static PositionalEncoding learned(Graph g, String name, int blockSize, int dim, double std) {
        return new PositionalEncoding(g, g.param(name + ".weight", new long[] {blockSize, dim}, Init.normal(std)),
                blockSize, true);
    }

    /** The fixed sinusoidal table, a constant of the graph. */
    public static PositionalEncoding sinusoidal(Graph g, String name, int blockSize, int dim) {
        return new PositionalEncoding(g, g.constant(name, sinusoidalTable(blockSize, dim)), blockSize, false);
    }

    public static PositionalEncoding of(Kind kind, Graph g, String name, int blockSize, int dim, double std) {
        return kind == Kind.LEARNED ? learned(g, name, blockSize, dim, std) : sinusoidal(g, name, blockSize, dim);
    }

    /** The sinusoidal encoding matrix [blockSize, dim] (double). */
    public static INDArray sinusoidalTable(int blockSize, int dim) {
        double[][] pe = new double[blockSize][dim];
        for (int p = 0; p < blockSize; p++) {
            for (int i = 0; i < dim; i += 2) {
                double angle = p / Math.pow(10000, (double) i / dim);
                pe[p][i] = Math.sin(angle);
                if (i + 1 < dim) {
                    pe[p][i + 1] = Math.cos(angle);
                }
            }
        }
        return Nd4j.create(pe);
    }

    public boolean isLearned() {
        return learned;
    }

    /** The encodings of positions 0..t-1: [t, dim]. */
    public SDVariable forward(int t) {
        if (t < 1 || t > blockSize) {
            throw new IllegalArgumentException("sequence length " + t + " is outside 1.." + blockSize
                    + " (the block size); positions beyond the block size have no encoding");
        }
        if (t == blockSize) {
            return table;
        }
        // rows 0..t-1 as one-hot · table (exact gradient; see Embedding)
        INDArray select = Nd4j.eye(blockSize).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, t),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        return g.constant(g.uniqueName("positions"), select).mmul(table);
    }
}
