package org.autoreg.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.autoreg.core.Rng;
import org.autoreg.tokenizer.DecodeStream;

/**
 * One continuation being generated, advanced one token at a time by whoever computes its logits —
 * {@link Generator} alone, or {@link BatchGenerator} together with other sequences. It owns
 * everything that makes its output its own: its tokens and key/value cache ({@link ContextWindow}),
 * its sampling stream, its stop rules, its streamed text and logprobs. Given the same logits it
 * makes the same choices whoever drives it. Not thread-safe.
 */
final class Sequence {
    /** Receives a sequence's output as it grows. */
    interface Sink {
        /**
         * New text of sequence {@code index} (possibly empty at the end) and the tokens chosen since
         * the last call with their logprobs (empty unless logprobs were asked for).
         */
        void onText(int index, String delta, List<TokenLogprob> tokens);
    }

    private final Generator.Plan p;
    private final int[] ids;
    private final int promptLength;
    private final Rng rng;
    private final int logprobs;
    private final Sink sink;
    private final int index;
    private final DecodeStream decode;
    private final StopText text;
    private final List<TokenLogprob> chosen = new ArrayList<>();
    private int reported;
    private int n;
    private int step;
    private Completion.FinishReason reason = Completion.FinishReason.LENGTH;
    private boolean done;
    final ContextWindow window;

    /** {@code logprobs}: −1 for none, else the number of alternatives to report with each token. */
    Sequence(Generator g, int[] prompt, Generator.Plan p, Rng rng, int logprobs, Sink sink, int index) {
        this.p = p;
        this.rng = rng;
        this.logprobs = logprobs;
        this.sink = sink;
        this.index = index;
        ids = Arrays.copyOf(prompt, prompt.length + p.maxNew());
        promptLength = prompt.length;
        n = prompt.length;
        window = g.window(p, prompt.length);
        decode = g.tokenizer().decodeStream(true);
        text = new StopText(p.stops());
        if (p.maxNew() <= 0) {
            finish();
        }
    }

    boolean done() {
        return done;
    }

    /** The tokens so far, prompt included: ids()[0, length()). */
    int[] ids() {
        return ids;
    }

    int length() {
        return n;
    }

    int promptLength() {
        return promptLength;
    }

    /** Which of its request's sequences this is (0-based). */
    int index() {
        return index;
    }

    /** Takes the logits of the next token (modified in place): chooses it, streams its text, maybe ends. */
    void accept(float[] logits) {
        float[] raw = logprobs >= 0 ? logits.clone() : null;
        int next = nextToken(logits);
        if (contains(p.eos(), next)) {
            reason = Completion.FinishReason.STOP;
            finish();
            return;
        }
        if (raw != null) {
            chosen.add(TokenLogprob.of(raw, next, logprobs));
        }
        ids[n++] = next;
        step++;
        emit(text.add(decode.step(next)));
        if (text.stopped()) {
            reason = Completion.FinishReason.STOP;
            finish();
        } else if (step == p.maxNew()) {
            finish();
        }
    }

    Completion result() {
        return new Completion(text.text(), Arrays.copyOfRange(ids, promptLength, n), reason, promptLength, chosen);
    }

    private int nextToken(float[] scores) {
        LogitsProcessors.repetitionPenalty(scores, ids, n, p.repetitionPenalty());
        LogitsProcessors.noRepeatNgram(scores, ids, n, p.noRepeatNgram());
        LogitsProcessors.minNewTokens(scores, step, p.minNew(), p.eos());
        if (!p.sample()) {
            return LogitsProcessors.argmax(scores);
        }
        LogitsProcessors.temperature(scores, p.temperature());
        LogitsProcessors.topK(scores, p.topK());
        LogitsProcessors.topP(scores, p.topP());
        LogitsProcessors.minP(scores, p.minP());
        return LogitsProcessors.sample(scores, rng);
    }

    private void finish() {
        if (!text.stopped()) {
            emit(text.finish(decode.flush()));
        }
        if (reported < chosen.size()) {
            sink.onText(index, "", List.copyOf(chosen.subList(reported, chosen.size())));
            reported = chosen.size();
        }
        done = true;
    }

    private void emit(String delta) {
        if (!delta.isEmpty()) {
            sink.onText(index, delta, List.copyOf(chosen.subList(reported, chosen.size())));
            reported = chosen.size();
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
