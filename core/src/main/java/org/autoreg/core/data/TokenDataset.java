package org.autoreg.core.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.autoreg.core.io.CorruptFileException;

/**
 * A file of token ids (nanoGPT's {@code train.bin}): little-endian unsigned 16-bit ids when the
 * vocabulary fits, else 32-bit; memory-mapped, so a corpus of any size costs no heap.
 */
public final class TokenDataset {
    private final MappedByteBuffer buf;
    private final int tokenBytes;
    private final long size;
    private final Path file;

    private TokenDataset(Path file, MappedByteBuffer buf, int tokenBytes, long size) {
        this.file = file;
        this.buf = buf;
        this.tokenBytes = tokenBytes;
        this.size = size;
    }

    /** Maps {@code file} whose ids take {@code tokenBytes} (2 or 4) bytes each. */
    public static TokenDataset open(Path file, int tokenBytes) throws IOException {
        if (tokenBytes != 2 && tokenBytes != 4) {
            throw new IllegalArgumentException("token ids take 2 or 4 bytes, not " + tokenBytes);
        }
        try (FileChannel ch = FileChannel.open(file)) {
            long bytes = ch.size();
            if (bytes % tokenBytes != 0) {
                throw new CorruptFileException(file + ": " + bytes + " bytes is not a whole number of " + tokenBytes
                        + "-byte token ids; the file is truncated");
            }
            if (bytes > Integer.MAX_VALUE) {
                throw new IOException(file + " is larger than 2 GiB; split the corpus into parts of at most 2 GiB");
            }
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes);
            buf.order(ByteOrder.LITTLE_ENDIAN);
            return new TokenDataset(file, buf, tokenBytes, bytes / tokenBytes);
        }
    }

    /** Number of tokens. */
    public long size() {
        return size;
    }

    /** The id at position {@code i}. */
    public int get(long i) {
        int at = (int) (i * tokenBytes);
        return tokenBytes == 2 ? Short.toUnsignedInt(buf.getShort(at)) : buf.getInt(at);
    }

    /** Copies ids {@code [from, from + n)} into {@code out}. */
    public void read(long from, int[] out) {
        for (int k = 0; k < out.length; k++) {
            out[k] = get(from + k);
        }
    }

    /** One language-modelling example at {@code start}: x = ids[start, start+n), y = ids[start+1, start+n+1). */
    public void example(long start, int[] x, int[] y) {
        for (int k = 0; k < x.length; k++) {
            x[k] = get(start + k);
        }
        y[x.length - 1] = get(start + x.length);
        System.arraycopy(x, 1, y, 0, x.length - 1);
    }

    public Path file() {
        return file;
    }
}
