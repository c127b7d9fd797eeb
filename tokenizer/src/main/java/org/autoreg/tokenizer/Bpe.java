package org.autoreg.tokenizer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Byte-pair encoding (Sennrich et al. 2016) as GPT-2 applies it: start from single symbols
 * (bytes for byte-level pieces, characters otherwise) and repeatedly merge the adjacent pair with
 * the lowest merge rank, leftmost first, until no pair has a rank. With no merges this is a
 * character-level model.
 */
final class Bpe extends Vocabulary implements PieceEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(Bpe.class);
    /** Pieces up to this many chars are cached (a piece is usually a word). */
    private static final int MAX_CACHED_LENGTH = 64;
    private static final int CACHE_CAPACITY = 100_000;

    private final List<Map.Entry<String, String>> merges;
    private final PairTable pairs;
    final String unkToken;
    final String continuingSubwordPrefix;
    final String endOfWordSuffix;
    final boolean fuseUnk;
    final boolean byteFallback;
    final boolean ignoreMerges;
    private final int unkId;
    /** Id of each byte's GPT-2 character, or -1. */
    private final int[] byteIds = new int[256];
    /** Id of each byte's {@code <0xXX>} token (byte fallback), or -1. */
    private final int[] fallbackIds = new int[256];
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>(1 << 16);
    private final AtomicBoolean droppedWarned = new AtomicBoolean();

    Bpe(Map<String, Integer> vocab, List<Map.Entry<String, String>> merges, String unkToken,
            String continuingSubwordPrefix, String endOfWordSuffix, boolean fuseUnk, boolean byteFallback,
            boolean ignoreMerges) {
        super(vocab, "BPE");
        this.merges = List.copyOf(merges);
        this.unkToken = unkToken;
        this.continuingSubwordPrefix = emptyToNull(continuingSubwordPrefix);
        this.endOfWordSuffix = emptyToNull(endOfWordSuffix);
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.unkId = unkId(unkToken, "BPE");
        this.pairs = new PairTable(merges.size());
        int prefixLength = this.continuingSubwordPrefix == null ? 0 : this.continuingSubwordPrefix.length();
        for (int rank = 0; rank < merges.size(); rank++) {
            String a = merges.get(rank).getKey();
            String b = merges.get(rank).getValue();
            Integer ia = vocab.get(a);
            Integer ib = vocab.get(b);
            if (ia == null || ib == null) {
                throw new IllegalArgumentException("merge " + (rank + 1) + " ('" + a + " " + b + "'): '"
                        + (ia == null ? a : b) + "' is not in the vocabulary; the merges and the vocabulary do not "
                        + "belong together");
            }
            String joined = a + (prefixLength > 0 && b.startsWith(this.continuingSubwordPrefix)
                    ? b.substring(prefixLength) : b);
            Integer merged = vocab.get(joined);
            if (merged == null) {
                throw new IllegalArgumentException("merge " + (rank + 1) + " ('" + a + " " + b + "') produces '" + joined
                        + "', which is not in the vocabulary; the merges and the vocabulary do not belong together");
            }
            pairs.putIfAbsent(ia, ib, rank, merged);
        }
        for (int b = 0; b < 256; b++) {
            byteIds[b] = vocab.getOrDefault(String.valueOf(ByteLevelAlphabet.BYTE_TO_CHAR[b]), -1);
            fallbackIds[b] = vocab.getOrDefault(String.format("<0x%02X>", b), -1);
        }
    }

    /**
     * A symbol outside the vocabulary with no unk token is dropped before merging, as Hugging Face
     * tokenizers do (so ids match theirs), and the loss is reported once per model.
     */
    private void warnDropped(String what) {
        if (droppedWarned.compareAndSet(false, true)) {
            LOG.warn("{} is not in the vocabulary and the tokenizer has no unk token, so it was dropped from the "
                    + "encoding (as Hugging Face tokenizers do); decode(encode(text)) will not give the text back. "
                    + "Train the tokenizer on text that contains it, or give the model an unk token. "
                    + "(Warned once per tokenizer.)", what);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    List<Map.Entry<String, String>> merges() {
        return merges;
    }

    @Override
    public List<Token> tokenize(String piece) {
        return tokens(encodeUncached(piece, 0, piece.length(), false));
    }

    /**
     * Encodes {@code source[from, to)}: returns the ids followed by the end offset of each token, in
     * bytes of the piece's UTF-8 if {@code byteLevel}, else in chars. Cached for short pieces; the
     * returned array must not be modified.
     */
    @Override
    public int[] encode(CharSequence source, int from, int to, boolean byteLevel) {
        if (to - from > MAX_CACHED_LENGTH) {
            return encodeUncached(source, from, to, byteLevel);
        }
        String key = source.subSequence(from, to).toString();
        Map<String, int[]> c = cache;
        int[] hit = c.get(key);
        if (hit == null) {
            hit = encodeUncached(key, 0, key.length(), byteLevel);
            if (c.size() >= CACHE_CAPACITY) {
                c.clear();
            }
            c.put(key, hit);
        }
        return hit;
    }

    private int[] encodeUncached(CharSequence source, int from, int to, boolean byteLevel) {
        int[] sym;
        int[] end;
        int n;
        if (byteLevel) {
            byte[] bytes = new byte[Utf8.maxBytes(to - from)];
            n = Utf8.encode(source, from, to, bytes);
            if (ignoreMerges) {
                Integer whole = vocab.get(ByteLevelAlphabet.map(source, from, to));
                if (whole != null) {
                    return new int[] {whole, n};
                }
            }
            sym = new int[n];
            end = new int[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                int id = byteIds[bytes[i] & 0xFF];
                if (id < 0) {
                    warnDropped(String.format("byte 0x%02X ('%s')", bytes[i] & 0xFF,
                            ByteLevelAlphabet.BYTE_TO_CHAR[bytes[i] & 0xFF]));
                    continue;
                }
                sym[m] = id;
                end[m] = i + 1;
                m++;
            }
            n = m;
        } else {
            if (ignoreMerges) {
                Integer whole = vocab.get(source.subSequence(from, to).toString());
                if (whole != null) {
                    return new int[] {whole, to - from};
                }
            }
            IntList s = new IntList(to - from);
            IntList e = new IntList(to - from);
            initialChars(source, from, to, s, e);
            sym = s.toArray();
            end = e.toArray();
            n = sym.length;
        }
        n = mergeAll(sym, end, n);
        int[] packed = new int[2 * n];
        System.arraycopy(sym, 0, packed, 0, n);
        System.arraycopy(end, 0, packed, n, n);
        return packed;
    }

    /** One symbol per character (with the subword prefix/suffix decorations), unknowns as unk or bytes. */
    private void initialChars(CharSequence source, int from, int to, IntList sym, IntList end) {
        boolean lastWasUnk = false;
        for (int i = from; i < to; ) {
            int cp = Character.codePointAt(source, i);
            int next = i + Character.charCount(cp);
            StringBuilder t = new StringBuilder();
            if (i > from && continuingSubwordPrefix != null) {
                t.append(continuingSubwordPrefix);
            }
            t.appendCodePoint(cp);
            if (next == to && endOfWordSuffix != null) {
                t.append(endOfWordSuffix);
            }
            Integer id = vocab.get(t.toString());
            if (id != null) {
                sym.add(id);
                end.add(next - from);
                lastWasUnk = false;
            } else if (byteFallback && fallback(cp, next - from, sym, end)) {
                lastWasUnk = false;
            } else if (unkId >= 0) {
                if (fuseUnk && lastWasUnk) {
                    end.set(end.size() - 1, next - from);
                } else {
                    sym.add(unkId);
                    end.add(next - from);
                }
                lastWasUnk = true;
            } else {
                warnDropped(String.format("character '%s' (U+%04X)", new String(Character.toChars(cp)), cp));
            }
            i = next;
        }
    }

    /** Byte fallback: the character's UTF-8 bytes as {@code <0xXX>} tokens, if all exist. */
    private boolean fallback(int cp, int endOffset, IntList sym, IntList end) {
        byte[] bytes = new byte[4];
        int n = Utf8.encode(new String(Character.toChars(cp)), 0, Character.charCount(cp), bytes);
        for (int k = 0; k < n; k++) {
            if (fallbackIds[bytes[k] & 0xFF] < 0) {
                return false;
            }
        }
        for (int k = 0; k < n; k++) {
            sym.add(fallbackIds[bytes[k] & 0xFF]);
            end.add(endOffset);
        }
        return true;
    }

    /**
     * Applies the merges to {@code sym[0, n)} in place (lowest rank first, leftmost on ties) and
     * returns the new length; {@code end[i]} follows each symbol.
     */
    private int mergeAll(int[] sym, int[] end, int n) {
        if (n < 2) {
            return n;
        }
        int[] next = new int[n];
        int[] prev = new int[n];
        long[] heap = new long[3 * n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            if (i + 1 < n) {
                long e = pairs.get(sym[i], sym[i + 1]);
                if (e != PairTable.NONE) {
                    size = push(heap, size, ((long) PairTable.rank(e) << 32) | i);
                }
            }
        }
        while (size > 0) {
            long top = heap[0];
            size = pop(heap, size);
            int r = (int) (top >>> 32);
            int i = (int) top;
            int j = next[i];
            if (sym[i] < 0 || j < 0) {
                continue; // stale entry
            }
            long e = pairs.get(sym[i], sym[j]);
            if (e == PairTable.NONE || PairTable.rank(e) != r) {
                continue; // stale entry: the pair at i changed since it was queued
            }
            sym[i] = PairTable.merged(e);
            end[i] = end[j];
            sym[j] = -1;
            next[i] = next[j];
            if (next[j] >= 0) {
                prev[next[j]] = i;
            }
            if (prev[i] >= 0) {
                long ep = pairs.get(sym[prev[i]], sym[i]);
                if (ep != PairTable.NONE) {
                    size = push(heap, size, ((long) PairTable.rank(ep) << 32) | prev[i]);
                }
            }
            if (next[i] >= 0) {
                long en = pairs.get(sym[i], sym[next[i]]);
                if (en != PairTable.NONE) {
                    size = push(heap, size, ((long) PairTable.rank(en) << 32) | i);
                }
            }
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (sym[i] >= 0) {
                sym[m] = sym[i];
                end[m] = end[i];
                m++;
            }
        }
        return m;
    }

    private static int push(long[] heap, int size, long v) {
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (heap[p] <= v) {
                break;
            }
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = v;
        return size;
    }

    private static int pop(long[] heap, int size) {
        long v = heap[--size];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) {
                break;
            }
            if (c + 1 < size && heap[c + 1] < heap[c]) {
                c++;
            }
            if (heap[c] >= v) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = v;
        return size;
    }

    @Override
    public String toString() {
        return "BPE(vocab=" + vocabSize() + ", merges=" + merges.size() + ")";
    }

}
