package org.autoreg.word2vec;

/**
 * What to train, with the original C tool's defaults and option names:
 *
 * <table>
 * <caption>Options</caption>
 * <tr><th>field</th><th>word2vec.c</th><th>default</th><th>meaning</th></tr>
 * <tr><td>cbow</td><td>-cbow</td><td>true (1)</td><td>CBOW (context → word) or skip-gram (word → context)</td></tr>
 * <tr><td>size</td><td>-size</td><td>100</td><td>vector dimensions</td></tr>
 * <tr><td>window</td><td>-window</td><td>5</td><td>maximum distance to a context word; each position uses a random 1..window</td></tr>
 * <tr><td>negative</td><td>-negative</td><td>5</td><td>noise words per example, drawn from unigram^0.75 (0: none)</td></tr>
 * <tr><td>hs</td><td>-hs</td><td>false (0)</td><td>hierarchical softmax over the C tool's Huffman tree, alone (negative 0) or with negative sampling</td></tr>
 * <tr><td>sample</td><td>-sample</td><td>1e-3</td><td>subsampling threshold of frequent words (0 = off)</td></tr>
 * <tr><td>iter</td><td>-iter</td><td>5</td><td>passes over the corpus</td></tr>
 * <tr><td>minCount</td><td>-min-count</td><td>5</td><td>words seen fewer times are dropped</td></tr>
 * <tr><td>threads</td><td>-threads</td><td>available cores (C: 12)</td><td>training threads (hogwild)</td></tr>
 * <tr><td>alpha</td><td>-alpha</td><td>0.025 skip-gram, 0.05 CBOW</td><td>starting learning rate, decayed linearly to alpha·1e-4</td></tr>
 * <tr><td>seed</td><td>(fixed in C)</td><td>1</td><td>initial vectors, subsampling, windows and noise words</td></tr>
 * <tr><td>maxSentenceLength</td><td>MAX_SENTENCE_LENGTH</td><td>1000</td><td>longer lines are cut into pieces</td></tr>
 * </table>
 *
 * @param alpha null for the C tool's default (0.025 skip-gram, 0.05 CBOW)
 */
public record Word2VecConfig(boolean cbow, int size, int window, int negative, boolean hs, double sample, int iter,
        int minCount, int threads, Double alpha, long seed, int maxSentenceLength) {

    public Word2VecConfig {
        require(size >= 1, "size must be at least 1, got " + size);
        require(window >= 1, "window must be at least 1, got " + window);
        require(negative >= 0, "negative must be at least 0, got " + negative);
        require(hs || negative >= 1, "negative = 0 without hierarchical softmax trains nothing; set negative ≥ 1 "
                + "(e.g. 5) or hs = 1");
        require(sample >= 0 && sample < 1, "sample must be in [0, 1) (0 turns subsampling off), got " + sample);
        require(iter >= 1, "iter must be at least 1, got " + iter);
        require(minCount >= 1, "min-count must be at least 1, got " + minCount);
        require(threads >= 1, "threads must be at least 1, got " + threads);
        require(alpha == null || alpha > 0 && alpha < 1, "alpha must be in (0, 1), got " + alpha);
        require(maxSentenceLength >= 1, "maxSentenceLength must be at least 1, got " + maxSentenceLength);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("word2vec: " + message);
        }
    }

    /** The C tool's defaults (CBOW), with as many threads as cores. */
    public static Word2VecConfig defaults() {
        return new Word2VecConfig(true, 100, 5, 5, false, 1e-3, 5, 5, Runtime.getRuntime().availableProcessors(),
                null, 1,
                1000);
    }

    /** The starting learning rate. */
    public double startingAlpha() {
        return alpha != null ? alpha : cbow ? 0.05 : 0.025;
    }

    public Word2VecConfig withCbow(boolean v) {
        return new Word2VecConfig(v, size, window, negative, hs, sample, iter, minCount, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withSize(int v) {
        return new Word2VecConfig(cbow, v, window, negative, hs, sample, iter, minCount, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withWindow(int v) {
        return new Word2VecConfig(cbow, size, v, negative, hs, sample, iter, minCount, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withNegative(int v) {
        return new Word2VecConfig(cbow, size, window, v, hs, sample, iter, minCount, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withHs(boolean v) {
        return new Word2VecConfig(cbow, size, window, negative, v, sample, iter, minCount, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withSample(double v) {
        return new Word2VecConfig(cbow, size, window, negative, hs, v, iter, minCount, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withIter(int v) {
        return new Word2VecConfig(cbow, size, window, negative, hs, sample, v, minCount, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withMinCount(int v) {
        return new Word2VecConfig(cbow, size, window, negative, hs, sample, iter, v, threads, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withThreads(int v) {
        return new Word2VecConfig(cbow, size, window, negative, hs, sample, iter, minCount, v, alpha, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withAlpha(Double v) {
        return new Word2VecConfig(cbow, size, window, negative, hs, sample, iter, minCount, threads, v, seed,
                maxSentenceLength);
    }

    public Word2VecConfig withSeed(long v) {
        return new Word2VecConfig(cbow, size, window, negative, hs, sample, iter, minCount, threads, alpha, v,
                maxSentenceLength);
    }
}
