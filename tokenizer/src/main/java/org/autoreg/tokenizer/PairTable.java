package org.autoreg.tokenizer;

/** Open-addressing hash map from a pair of token ids to (merge rank, merged id): BPE's hot lookup. */
final class PairTable {
    private final long[] keys;
    private final int[] ranks;
    private final int[] merged;
    private final int mask;

    PairTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[cap];
        ranks = new int[cap];
        merged = new int[cap];
        java.util.Arrays.fill(keys, -1L);
        mask = cap - 1;
    }

    static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        int i = (int) (h >>> 40) & mask;
        while (keys[i] != -1L && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Adds a pair unless it is present (the first rank of a duplicated merge wins). Returns false if present. */
    boolean putIfAbsent(int a, int b, int rank, int mergedId) {
        long k = key(a, b);
        int i = slot(k);
        if (keys[i] == k) {
            return false;
        }
        keys[i] = k;
        ranks[i] = rank;
        merged[i] = mergedId;
        return true;
    }

    /** Rank of the pair, or -1. */
    int rank(int a, int b) {
        long k = key(a, b);
        int i = slot(k);
        return keys[i] == k ? ranks[i] : -1;
    }

    /** Merged id of a pair known to be present. */
    int merged(int a, int b) {
        return merged[slot(key(a, b))];
    }
}
