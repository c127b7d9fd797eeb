package org.autoreg.tokenizer;

/**
 * Open-addressing hash map from a pair of token ids to (merge rank, merged id): BPE's hot lookup.
 * Key and value sit side by side in one array, so a lookup touches one cache line.
 */
final class PairTable {
    /** Returned by {@link #get} for a pair without a merge. */
    static final long NONE = -1L;
    private static final long EMPTY = -1L;

    /** {@code [key0, value0, key1, value1, ...]}; value = rank << 32 | merged id. */
    private final long[] slots;
    private final int mask;

    PairTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        slots = new long[2 * cap];
        for (int i = 0; i < slots.length; i += 2) {
            slots[i] = EMPTY;
        }
        mask = cap - 1;
    }

    static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (slots[2 * i] != EMPTY && slots[2 * i] != key) {
            i = (i + 1) & mask;
        }
        return 2 * i;
    }

    /** Adds a pair unless present (the first rank of a duplicated merge wins); false if present. */
    boolean putIfAbsent(int a, int b, int rank, int mergedId) {
        long k = key(a, b);
        int s = slot(k);
        if (slots[s] == k) {
            return false;
        }
        slots[s] = k;
        slots[s + 1] = ((long) rank << 32) | (mergedId & 0xFFFFFFFFL);
        return true;
    }

    /** {@code rank << 32 | merged id} of the pair, or {@link #NONE}. */
    long get(int a, int b) {
        long k = key(a, b);
        int s = slot(k);
        return slots[s] == k ? slots[s + 1] : NONE;
    }

    static int rank(long entry) {
        return (int) (entry >>> 32);
    }

    static int merged(long entry) {
        return (int) entry;
    }
}
