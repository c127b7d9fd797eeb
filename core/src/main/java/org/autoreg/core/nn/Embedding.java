package org.autoreg.core.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A token embedding table: row {@code i} is the vector of token {@code i}. The lookup is
 * {@code oneHot(ids) · W}: ND4J's gather has a wrong gradient and embeddingLookup none (NOTES.md),
 * while the one-hot product is exact; for the vocabularies trained here it costs less than the LM head.
 */
public final class Embedding {
    /** [vocabSize, dim] */
    public final SDVariable weight;
    private final int vocabSize;
    private final Graph g;

    public Embedding(Graph g, String name, int vocabSize, int dim, double std) {
        this.weight = g.param(name + ".weight", new long[] {vocabSize, dim}, Init.normal(std));
        this.vocabSize = vocabSize;
        this.g = g;
    }

    /** One-hot rows of {@code ids} ([N] integers) in the graph's dtype: [N, vocabSize]. */
    public SDVariable oneHot(SDVariable ids) {
        return g.sd().oneHot(ids, vocabSize).castTo(g.dtype());
    }

    /** ids: [N] integers → [N, dim] */
    public SDVariable forward(SDVariable ids) {
        return oneHot(ids).mmul(weight);
    }

}
