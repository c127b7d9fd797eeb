package org.autoreg.word2vec;

/**
 * Draws noise words with probability ∝ count^0.75 in O(1): Walker's alias method. Memory is two
 * arrays of the vocabulary size, where word2vec.c fills a table of 10^8 ints (400 MB); the
 * distribution is the same, {@code </s>} (id 0, counted once per line) included, and a draw of
 * {@code </s>} is replaced by a word drawn uniformly, as the C tool replaces it.
 */
final class NoiseSampler {
    private final float[] prob;
    private final int[] alias;
    private final int n;

    NoiseSampler(long[] counts) {
        n = counts.length;
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.pow(counts[i], 0.75);
            sum += w[i];
        }
        prob = new float[n];
        alias = new int[n];
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = w[i] * n / sum;
            if (scaled[i] < 1) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            prob[s] = (float) scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            int l = large[--nl];
            prob[l] = 1f;
            alias[l] = l;
        }
        while (ns > 0) { // rounding leftovers
            int s = small[--ns];
            prob[s] = 1f;
            alias[s] = s;
        }
    }

    /** A noise word from one 64-bit LCG state (its high 32 bits pick the column, the next 24 the coin). */
    int sample(long random) {
        int column = (int) (((random >>> 32) * n) >>> 32);
        float coin = ((random >>> 8) & 0xFFFFFF) * 0x1.0p-24f;
        int w = coin < prob[column] ? column : alias[column];
        return w == 0 ? 1 + (int) Long.remainderUnsigned(random >>> 16, n - 1) : w;
    }
}
