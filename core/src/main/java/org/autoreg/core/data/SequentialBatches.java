package org.autoreg.core.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Evaluation batches in order: consecutive non-overlapping windows from the start of the data,
 * {@code batchSize} at a time; a last incomplete batch is dropped. The same every time.
 */
public final class SequentialBatches implements Iterable<Batch> {
    private final TokenDataset data;
    private final int batchSize;
    private final int blockSize;

    public SequentialBatches(TokenDataset data, int batchSize, int blockSize) {
        this.data = data;
        this.batchSize = batchSize;
        this.blockSize = blockSize;
    }

    /** How many full batches the data holds. */
    public long count() {
        return (data.size() - 1) / blockSize / batchSize;
    }

    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            long next;

            @Override
            public boolean hasNext() {
                return next < count();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int[][] x = new int[batchSize][blockSize];
                int[][] y = new int[batchSize][blockSize];
                for (int b = 0; b < batchSize; b++) {
                    data.example((next * batchSize + b) * blockSize, x[b], y[b]);
                }
                next++;
                return new Batch(x, y);
            }
        };
    }
}
