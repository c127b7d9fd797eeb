package org.autoreg.tokenizer;

/** The models' fast path: encodes one piece to its ids followed by its token end offsets. */
interface PieceEncoder {
    /**
     * Encodes {@code source[from, to)}, byte-mapped first if {@code byteLevel}. Returns
     * {@code [id_0..id_n-1, end_0..end_n-1]} with ends in bytes (byte-level) or chars of the piece;
     * the array may be shared and must not be modified.
     */
    int[] encode(CharSequence source, int from, int to, boolean byteLevel);
}
