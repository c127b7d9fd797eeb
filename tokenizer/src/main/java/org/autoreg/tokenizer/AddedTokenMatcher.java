package org.autoreg.tokenizer;

import java.util.List;

/**
 * Finds added tokens in text in one left-to-right pass: the leftmost match, and of the matches
 * starting there the longest, then the next match after its end (the non-overlapping
 * "leftmost-longest" matches of Hugging Face's {@code AddedVocabulary}, an Aho–Corasick automaton
 * with {@code MatchKind::LeftmostLongest}).
 *
 * <p>A trie over UTF-16 chars, walked from each position whose char begins some token; a bitset of
 * those first chars skips every other position with one lookup. The cost per position is at most
 * the length of the longest token, whatever the number of tokens. Immutable and thread-safe.
 */
final class AddedTokenMatcher {
    /** Receives one match, {@code text[start, end)} spelling {@code token}; returns where to resume the scan. */
    interface Sink {
        int accept(int start, int end, AddedToken token);
    }

    private static final int ROOT = 0;
    private static final long EMPTY = -1L;

    /** Bit c set when some token begins with char c. */
    private final long[] firstChars = new long[1 << 10];
    /** Trie edges: key {@code node << 16 | char} → child node, open addressing with linear probing. */
    private final long[] edgeKeys;
    private final int[] edgeChildren;
    private final int edgeMask;
    private final int edgeShift;
    /** The token ending at each node, or null. */
    private final AddedToken[] terminal;

    /**
     * A matcher for {@code patterns[i]}, each spelling {@code tokens[i]}; of equal patterns the last
     * wins (as in {@link Tokenizer#tokenToId}).
     */
    AddedTokenMatcher(List<String> patterns, List<AddedToken> tokens) {
        int chars = 0;
        for (String p : patterns) {
            chars += p.length();
        }
        int capacity = Integer.highestOneBit(Math.max(4, chars) * 2) * 2;
        edgeKeys = new long[capacity];
        edgeChildren = new int[capacity];
        edgeMask = capacity - 1;
        edgeShift = 64 - Integer.numberOfTrailingZeros(capacity);
        java.util.Arrays.fill(edgeKeys, EMPTY);
        AddedToken[] term = new AddedToken[chars + 1];
        int nodes = 1;
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            if (p.isEmpty()) {
                continue;
            }
            char c0 = p.charAt(0);
            firstChars[c0 >>> 6] |= 1L << c0;
            int node = ROOT;
            for (int k = 0; k < p.length(); k++) {
                long key = (long) node << 16 | p.charAt(k);
                int slot = slot(key);
                if (edgeKeys[slot] == EMPTY) {
                    edgeKeys[slot] = key;
                    edgeChildren[slot] = nodes++;
                }
                node = edgeChildren[slot];
            }
            term[node] = tokens.get(i);
        }
        terminal = java.util.Arrays.copyOf(term, nodes);
    }

    /** Whether there is nothing to match. */
    boolean isEmpty() {
        return terminal.length == 1;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int slot(long key) {
        int h = hash(key);
        while (edgeKeys[h] != EMPTY && edgeKeys[h] != key) {
            h = (h + 1) & edgeMask;
        }
        return h;
    }

    private int hash(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> edgeShift);
    }

    /** The child of {@code node} along {@code c}, or −1. */
    private int child(int node, char c) {
        long key = (long) node << 16 | c;
        int slot = slot(key);
        return edgeKeys[slot] == key ? edgeChildren[slot] : -1;
    }

    /**
     * Reports the leftmost-longest matches in {@code text[from, to)}, in order; after each the scan
     * resumes where the sink says (at least one char past the match start).
     */
    void forEachMatch(String text, int from, int to, Sink sink) {
        long[] first = firstChars;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if ((first[c >>> 6] & 1L << c) == 0) {
                continue;
            }
            int node = ROOT;
            int bestEnd = -1;
            AddedToken best = null;
            for (int j = i; j < to; j++) {
                node = child(node, text.charAt(j));
                if (node < 0) {
                    break;
                }
                if (terminal[node] != null) {
                    best = terminal[node];
                    bestEnd = j + 1;
                }
            }
            if (best != null) {
                i = Math.max(i + 1, sink.accept(i, bestEnd, best)) - 1;
            }
        }
    }
}
