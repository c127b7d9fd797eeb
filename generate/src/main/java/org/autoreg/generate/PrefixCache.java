package org.autoreg.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.autoreg.core.engine.Decoder;

/**
 * Prefix caching for one batch worker (vLLM's automatic prefix caching, in small): the key/value
 * caches of recent prompts, so that a new sequence whose prompt starts the same way (a system
 * prompt, a chat template's opening) copies those positions instead of computing them. The copied
 * keys and values are bit for bit what feeding the tokens would give, so outputs do not change.
 * Keeps the {@code capacity} most recently used prompts of at least {@link #MIN} tokens. Not
 * thread-safe: one per worker.
 */
final class PrefixCache {
    /** Shorter shared prefixes are fed as usual. */
    static final int MIN = 4;

    private record Entry(int[] tokens, Decoder kv) {
    }

    private final Decoder template;
    private final int capacity;
    private final List<Entry> entries = new ArrayList<>();   // most recently used last
    private final java.util.concurrent.atomic.AtomicLong reused;

    /** {@code reused} counts the positions copied instead of computed. */
    PrefixCache(Decoder template, int capacity, java.util.concurrent.atomic.AtomicLong reused) {
        this.template = template;
        this.capacity = capacity;
        this.reused = reused;
    }

    /** Starts {@code s} (not yet fed) from the longest cached prefix of its prompt, keeping ≥ 1 token to feed. */
    void apply(Sequence s) {
        Decoder cache = s.window.cache();
        if (cache == null || cache.position() != 0 || capacity == 0) {
            return;
        }
        int limit = s.promptLength() - 1;
        Entry best = null;
        int bestLen = MIN - 1;
        for (Entry e : entries) {
            int n = Arrays.mismatch(e.tokens, 0, Math.min(e.tokens.length, limit), s.ids(), 0, limit);
            n = n < 0 ? Math.min(e.tokens.length, limit) : n;
            if (n > bestLen) {
                best = e;
                bestLen = n;
            }
        }
        if (best != null) {
            cache.copyPrefix(best.kv, bestLen);
            reused.addAndGet(bestLen);
            entries.remove(best);
            entries.add(best);
        }
    }

    /** Remembers {@code s}'s prompt once its cache holds it (just before its first token is chosen). */
    void remember(Sequence s) {
        Decoder cache = s.window.cache();
        int n = s.promptLength();
        if (cache == null || capacity == 0 || n < MIN || s.length() != n || cache.position() != n
                || cache.position() > cache.config().blockSize()) {
            return;
        }
        int[] tokens = Arrays.copyOf(s.ids(), n);
        for (Entry e : entries) {
            if (Arrays.equals(e.tokens, tokens)) {
                return;
            }
        }
        Decoder kv = template.fork(n);
        kv.copyPrefix(cache, n);
        if (entries.size() == capacity) {
            entries.remove(0);
        }
        entries.add(new Entry(tokens, kv));
    }
}
