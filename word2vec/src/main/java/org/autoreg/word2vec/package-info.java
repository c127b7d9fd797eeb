/**
 * Word embeddings: skip-gram and CBOW training with negative sampling, gensim-like
 * {@code KeyedVectors} queries (dot, cosine, scaled dot similarity; analogies) and word2vec C-format
 * vector files. Not implemented yet (issue 6).
 */
package org.autoreg.word2vec;
