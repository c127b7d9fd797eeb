package org.autoreg.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.autoreg.core.engine.Decoder;

/**
 * Continuous batching over a {@link Generator}, as vLLM, TGI and llama.cpp's server do it: the
 * active sequences of every request advance together, one batched forward pass per step
 * ({@link Decoder.Batch}), each with its own key/value cache, sampling stream and stop rules. New
 * requests join between steps (their prompts fed in the same pass as the others' next tokens),
 * finished and cancelled ones leave. A request's output is exactly what {@link Generator#generate}
 * gives it alone with the same settings and seed: every row of a pass is computed as it would be
 * on its own.
 *
 * <p>{@code workers} threads each run such a loop over up to {@code maxBatch} sequences; requests
 * wait in a queue of {@code maxQueue} for room, beyond which {@link #submit} refuses them.
 * Sequences that outgrow a fixed (GPT-2) cache and slide without it are recomputed on their own
 * within the step. Each worker keeps the key/value caches of its 16 most recent prompts
 * ({@link PrefixCache}): a new prompt that starts like one of them copies those positions
 * instead of computing them (bit for bit the same values).
 */
public final class BatchGenerator implements AutoCloseable {
    /** Receives one request's output; called on a worker thread, so it must not block. */
    public interface Listener {
        /**
         * New text of sequence {@code index} (possibly empty) and its tokens chosen since the last
         * call, with their logprobs when they were asked for.
         */
        void onText(int index, String delta, List<TokenLogprob> tokens);

        /** Sequence {@code index} ended. */
        void onFinish(int index, Completion completion);

        /** The request failed (or was cancelled by {@link #close()}); no more calls follow. */
        void onError(RuntimeException e);
    }

    /** A submitted request. */
    public static final class Handle {
        private final List<Sequence> sequences;
        private final Listener listener;
        private volatile boolean cancelled;
        private int finished;

        private Handle(List<Sequence> sequences, Listener listener) {
            this.sequences = sequences;
            this.listener = listener;
        }

        /** Stops the request at the next step (its listener hears no more). */
        public void cancel() {
            cancelled = true;
        }
    }

    private final Generator generator;
    private final int maxBatch;
    private final int maxQueue;
    private final LinkedBlockingDeque<Handle> waiting = new LinkedBlockingDeque<>();
    private final AtomicInteger active = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong reusedPositions = new java.util.concurrent.atomic.AtomicLong();
    private final Thread[] workers;
    private volatile boolean closed;

    /** Starts {@code workers} batch loops of up to {@code maxBatch} sequences each, behind a queue of {@code maxQueue}. */
    public BatchGenerator(Generator generator, int workers, int maxBatch, int maxQueue) {
        if (workers < 1 || maxBatch < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("workers ≥ 1, max batch ≥ 1 and max queue ≥ 0 are required");
        }
        this.generator = generator;
        this.maxBatch = maxBatch;
        this.maxQueue = maxQueue;
        this.workers = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            this.workers[w] = new Thread(this::loop, "autoreg-batch-" + w);
            this.workers[w].setDaemon(true);
            this.workers[w].start();
        }
    }

    /** The most sequences one step advances on one worker. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Sequences being generated now. */
    public int activeSequences() {
        return active.get();
    }

    /** Prompt positions copied from the prefix caches instead of computed, so far. */
    public long reusedPrefixPositions() {
        return reusedPositions.get();
    }

    /** Requests waiting for room. */
    public int waiting() {
        return waiting.size();
    }

    /**
     * Queues a request: num_return_sequences continuations of {@code prompt} (token ids), with
     * {@code logprobs} alternatives per token (−1: no logprobs). Checks it first
     * ({@link GenerationException}); {@link RejectedExecutionException} when the queue is full or
     * the generator is closed.
     */
    public Handle submit(int[] prompt, GenerationConfig request, int logprobs, Listener listener) {
        Handle[] self = new Handle[1];
        List<Sequence> seqs = generator.sequences(prompt, request, logprobs, (i, delta, tokens) -> {
            if (!self[0].cancelled) {
                listener.onText(i, delta, tokens);
            }
        });
        if (seqs.size() > maxBatch) {
            throw new GenerationException(seqs.size() + " sequences in one request, but a batch holds "
                    + maxBatch + " (serve --max-batch); ask for fewer");
        }
        Handle h = new Handle(seqs, listener);
        self[0] = h;
        synchronized (waiting) {
            if (closed) {
                throw new RejectedExecutionException("the generator is closed");
            }
            if (waiting.size() >= maxQueue && active.get() + seqs.size() > maxBatch * workers.length) {
                throw new RejectedExecutionException(waiting.size() + " requests are waiting");
            }
            waiting.add(h);
        }
        return h;
    }

    /** Stops the workers; requests still running or waiting hear {@link Listener#onError}. */
    @Override
    public void close() {
        synchronized (waiting) {
            closed = true;
        }
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Handle h;
        while ((h = waiting.poll()) != null) {
            h.listener.onError(new CancellationException("the generator closed"));
        }
    }

    // ------------------------------------------------------------------ a worker's loop

    private void loop() {
        Decoder.Batch batch = new Decoder.Batch(generator.decoder(), maxBatch + STEP_PREFILL);
        PrefixCache prefixes = new PrefixCache(generator.decoder(), PREFIXES, reusedPositions);
        List<Handle> running = new ArrayList<>();
        int seqs = 0;
        try {
            while (!closed) {
                seqs = admit(running, seqs, prefixes);
                if (running.isEmpty()) {
                    continue;
                }
                step(batch, running, prefixes);
                for (int i = running.size() - 1; i >= 0; i--) {
                    Handle h = running.get(i);
                    if (h.cancelled || h.finished == h.sequences.size()) {
                        running.remove(i);
                        seqs -= h.sequences.size();
                        active.addAndGet(-h.sequences.size());
                    }
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
        for (Handle h : running) {
            active.addAndGet(-h.sequences.size());
            if (!h.cancelled) {
                h.listener.onError(new CancellationException("the generator closed"));
            }
        }
    }

    /** Recent prompts whose key/value caches each worker keeps for new requests that start alike. */
    private static final int PREFIXES = 16;

    /** Prompt rows one step may feed beyond one row per sequence. */
    private static final int STEP_PREFILL = 128;

    /** Moves waiting requests in while there is room; blocks while there is nothing to do. */
    private int admit(List<Handle> running, int seqs, PrefixCache prefixes) throws InterruptedException {
        while (true) {
            Handle h = running.isEmpty() ? waiting.poll(100, TimeUnit.MILLISECONDS) : waiting.poll();
            if (h == null) {
                return seqs;
            }
            if (h.cancelled) {
                continue;
            }
            if (seqs + h.sequences.size() > maxBatch) {
                waiting.addFirst(h);                         // no room here: next step, or another worker
                return seqs;
            }
            running.add(h);
            for (Sequence s : h.sequences) {
                prefixes.apply(s);
            }
            seqs += h.sequences.size();
            active.addAndGet(h.sequences.size());
        }
    }

    /** One step: every running sequence gets the logits of its next token (a prompt may take several steps). */
    private void step(Decoder.Batch batch, List<Handle> running, PrefixCache prefixes) {
        int cap = batch.capacity();
        Decoder[] rowSeq = new Decoder[cap];
        int[] tokens = new int[cap];
        boolean[] want = new boolean[cap];
        List<Sequence> answered = new ArrayList<>();
        List<Handle> owners = new ArrayList<>();
        int n = 0;
        for (Handle h : running) {
            if (h.cancelled) {
                continue;
            }
            for (Sequence s : h.sequences) {
                if (s.done()) {
                    continue;
                }
                try {
                    int from = s.window.pending(s.ids(), s.length());
                    if (from < 0) {                          // recomputed without the cache, on its own
                        accept(h, s, s.window.next(s.ids(), s.length()));
                        continue;
                    }
                    int take = Math.min(s.length() - from, cap - n);
                    for (int k = 0; k < take; k++) {
                        rowSeq[n] = s.window.cache();
                        tokens[n] = s.ids()[from + k];
                        want[n] = from + k == s.length() - 1;
                        n++;
                    }
                    if (take > 0 && want[n - 1]) {
                        answered.add(s);
                        owners.add(h);
                    }
                } catch (RuntimeException e) {
                    fail(h, e);
                }
            }
        }
        if (n == 0) {
            return;
        }
        float[][] logits;
        try {
            logits = batch.step(rowSeq, tokens, want, n);
        } catch (RuntimeException e) {
            running.forEach(h -> fail(h, e));
            return;
        }
        for (int i = 0; i < answered.size(); i++) {
            if (!owners.get(i).cancelled) {
                prefixes.remember(answered.get(i));
                accept(owners.get(i), answered.get(i), logits[i]);
            }
        }
    }

    private void accept(Handle h, Sequence s, float[] logits) {
        try {
            s.accept(logits);
            if (s.done() && !h.cancelled) {
                h.finished++;
                h.listener.onFinish(s.index(), s.result());
            }
        } catch (RuntimeException e) {
            fail(h, e);
        }
    }

    private static void fail(Handle h, RuntimeException e) {
        if (!h.cancelled) {
            h.cancelled = true;
            h.listener.onError(e);
        }
    }
}
