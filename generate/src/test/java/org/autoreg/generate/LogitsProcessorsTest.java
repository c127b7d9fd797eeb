package org.autoreg.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.autoreg.core.Rng;
import org.junit.jupiter.api.Test;

/** The processors against values worked out from transformers' definitions. */
class LogitsProcessorsTest {
    private static final float NEG = Float.NEGATIVE_INFINITY;

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOfSeenTokens() {
        float[] s = {2f, -2f, 1f, 4f};
        LogitsProcessors.repetitionPenalty(s, new int[] {0, 1, 0, 9}, 3, 2.0);
        assertArrayEquals(new float[] {1f, -4f, 1f, 4f}, s);
    }

    @Test
    void noRepeatNgramBansTheTokenThatWouldRepeatABigram() {
        float[] s = new float[5];
        // ids 1 2 3 1 → the bigram (1, 2) was seen, so after a final 1 the token 2 is banned
        LogitsProcessors.noRepeatNgram(s, new int[] {1, 2, 3, 1}, 4, 2);
        assertArrayEquals(new float[] {0, 0, NEG, 0, 0}, s);
        float[] t = new float[5];
        LogitsProcessors.noRepeatNgram(t, new int[] {1, 2, 3, 1}, 4, 3); // trigram prefix (3, 1) never seen
        assertArrayEquals(new float[5], t);
    }

    @Test
    void minNewTokensBansEosUntilEnoughTokens() {
        float[] s = {1, 1, 1};
        LogitsProcessors.minNewTokens(s, 1, 2, new int[] {2});
        assertEquals(NEG, s[2]);
        float[] t = {1, 1, 1};
        LogitsProcessors.minNewTokens(t, 2, 2, new int[] {2});
        assertEquals(1f, t[2]);
    }

    @Test
    void topKKeepsTiesAndTopPKeepsTheSmallestNucleus() {
        float[] s = {1f, 3f, 2f, 3f, 0f};
        LogitsProcessors.topK(s, 2);
        assertArrayEquals(new float[] {NEG, 3f, NEG, 3f, NEG}, s);
        float[] u = {1f, 3f, 2f, 3f, 0f};
        LogitsProcessors.topK(u, 3);
        assertArrayEquals(new float[] {NEG, 3f, 2f, 3f, NEG}, u);
        // probabilities 0.5, 0.3, 0.15, 0.05: with p = 0.8 the tail 0.05 + 0.15 = 0.2 ≤ 0.2 goes
        float[] p = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        float[] q = p.clone();
        LogitsProcessors.topP(q, 0.81);
        assertEquals(NEG, q[3]);
        assertEquals(p[2], q[2]);
        LogitsProcessors.topP(q, 0.5);
        assertArrayEquals(new float[] {p[0], NEG, NEG, NEG}, q);
        float[] one = p.clone();
        LogitsProcessors.topP(one, 0.01);
        assertEquals(p[0], one[0], "the most likely token always stays");
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTopProbability() {
        float[] p = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        LogitsProcessors.minP(p, 0.4); // threshold 0.2
        assertEquals(NEG, p[2]);
        assertEquals(NEG, p[3]);
        assertEquals((float) Math.log(0.3), p[1]);
    }

    @Test
    void temperatureArgmaxAndSampling() {
        float[] s = {2f, 4f};
        LogitsProcessors.temperature(s, 2.0);
        assertArrayEquals(new float[] {1f, 2f}, s);
        assertEquals(1, LogitsProcessors.argmax(new float[] {0f, 5f, 5f}), "first maximum on ties");
        float[] w = {0f, (float) Math.log(3), NEG};
        int[] counts = new int[3];
        Rng rng = new Rng(3);
        for (int i = 0; i < 4000; i++) {
            counts[LogitsProcessors.sample(w, rng)]++;
        }
        assertEquals(0, counts[2], "a removed token is never drawn");
        assertEquals(0.75, counts[1] / 4000.0, 0.03);
    }
}
