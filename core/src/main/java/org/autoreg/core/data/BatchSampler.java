package org.autoreg.core.data;

import org.autoreg.core.Rng;

/**
 * Random training batches, as nanoGPT's {@code get_batch}: each example starts at a uniformly
 * random position. The generator's state can be saved and restored for exact resume.
 */
public final class BatchSampler {
    private final TokenDataset data;
    private final int batchSize;
    private final int blockSize;
    private Rng rng;

    public BatchSampler(TokenDataset data, int batchSize, int blockSize, long seed) {
        if (data.size() <= blockSize) {
            throw new IllegalArgumentException(data.file() + " holds " + data.size() + " tokens, not more than the block "
                    + "size " + blockSize + "; use a larger corpus or a smaller block_size");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.blockSize = blockSize;
        this.rng = new Rng(seed);
    }

    public Batch next() {
        int[][] x = new int[batchSize][blockSize];
        int[][] y = new int[batchSize][blockSize];
        for (int b = 0; b < batchSize; b++) {
            data.example(rng.nextLong(data.size() - blockSize), x[b], y[b]);
        }
        return new Batch(x, y);
    }

    /** The generator state (see {@link Rng#state}). */
    public long[] state() {
        return rng.state();
    }

    /** Continues from a saved state. */
    public void restore(long[] state) {
        this.rng = Rng.restore(state);
    }
}
