package org.autoreg.generate;

import org.autoreg.core.engine.Decoder;

/**
 * The logits of the next token of one sequence, computed with or without the key/value cache,
 * and what happens once the sequence outgrows the model's context (blockSize):
 * <ul>
 * <li>no cache — every step runs the whole context (its last blockSize tokens) through the model,
 *     as nanoGPT's sample.py and {@code use_cache=False} do;</li>
 * <li>cache — each step feeds one token to a {@link Decoder}. With rotary positions (llama) the
 *     cache rolls: every token attends to the last blockSize cached positions, one token step
 *     however long the text grows. With learned absolute positions (gpt2) the cache cannot shift,
 *     so past blockSize tokens {@code SLIDE} recomputes the full window every step (exactly the
 *     no-cache result) and {@code REFILL} restarts the cache from the last blockSize/2 tokens
 *     (fast, approximate).</li>
 * </ul>
 * A rolling cache and the no-cache window agree while the text fits the window; past it they
 * differ in models of more than one layer (the cached keys of upper layers remember what their
 * tokens saw before the window, as in any sliding-window cache).
 * One per sequence; not thread-safe.
 */
final class ContextWindow {
    private final Decoder decoder;
    private final Decoder cache;
    private final boolean refill;
    private final int block;
    private final Runnable onOverflow;
    private boolean overflowed;
    private int start;

    /**
     * A window over the sequence's own {@code decoder} (full passes over its weights), whose cache is
     * used when {@code useCache}; {@code onOverflow} (may be null) runs when the context first
     * outgrows the window.
     */
    ContextWindow(Decoder decoder, boolean useCache, GenerationConfig.ContextOverflow overflow, Runnable onOverflow) {
        this.onOverflow = onOverflow;
        this.decoder = decoder;
        this.cache = useCache ? decoder : null;
        this.refill = overflow == GenerationConfig.ContextOverflow.REFILL;
        this.block = decoder.config().blockSize();
    }

    /** The logits of the token after ids[0, n); called once per new token, n growing by one. */
    float[] next(int[] ids, int n) {
        int from = pending(ids, n);
        if (from < 0) {
            return recompute(ids, n);
        }
        float[] logits = null;
        for (int i = from; i < n; i++) {
            logits = cache.next(ids[i]);
        }
        return logits;
    }

    /**
     * Where the cache stands before the logits of ids[0, n): the index of the first token it still
     * has to take (ids[from, n) go to {@link #cache()} in order, the last one's logits being the
     * answer), or −1 when they must be recomputed without the cache ({@link #next} does).
     */
    int pending(int[] ids, int n) {
        if (n > block && !overflowed) {
            overflowed = true;
            if (onOverflow != null) {
                onOverflow.run();
            }
        }
        boolean outgrown = cache != null && !cache.rolling() && n - start > block;   // a fixed cache, full
        if (cache == null || outgrown && !refill) {
            return -1;
        }
        if (outgrown) {
            start = n - Math.max(1, block / 2);
            cache.reset();
        }
        return start + cache.position();
    }

    /** The sequence's key/value cache, or null without one. */
    Decoder cache() {
        return cache;
    }

    private float[] recompute(int[] ids, int n) {
        int from = Math.max(0, n - block);
        return decoder.fullPass(ids, from, n - from);
    }
}
