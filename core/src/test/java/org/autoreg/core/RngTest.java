package org.autoreg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void sameSeedSameNumbersAndStateRoundTrips() {
        Rng a = new Rng(42);
        Rng b = new Rng(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        a.nextGaussian(); // leaves a spare Gaussian in the state
        Rng c = Rng.restore(a.state());
        for (int i = 0; i < 10; i++) {
            assertEquals(a.nextGaussian(), c.nextGaussian());
        }
    }

    @Test
    void derivedStreamsOfOneRunSeedShareNoNumbers() {
        // init draws from the run seed itself; batches, evaluation and samples from derived streams
        long seed = 1337;
        long[] seeds = {seed, Rng.derive(seed, "train-batches"), Rng.derive(seed, "sample"),
            Rng.derive(seed, "eval-batches", 250, 0), Rng.derive(seed, "eval-batches", 250, 1),
            Rng.derive(seed, "eval-batches", 0, 250), Rng.derive(seed + 1, "train-batches")};
        Set<Long> drawn = new HashSet<>();
        int total = 0;
        for (long s : seeds) {
            Rng r = new Rng(s);
            for (int i = 0; i < 20_000; i++) {
                drawn.add(r.nextLong());
                total++;
            }
        }
        assertEquals(total, drawn.size(), "two streams drew the same 64-bit number");
    }

    @Test
    void derivedSeedsAreStableAcrossVersions() {
        // a run's seed must keep meaning the same batches: this pins the derivation and the draw
        assertEquals(7617687254041797211L, Rng.derive(1337, "train-batches"));
        assertEquals(373659L, new Rng(Rng.derive(1337, "train-batches")).nextLong(1_003_790));
        assertNotEquals(Rng.derive(1337, "train-batches"), Rng.derive(1337, "train-batches", 0));
    }

    @Test
    void boundedDrawsStayInRangeAndCoverIt() {
        Rng r = new Rng(7);
        int[] hits = new int[10];
        for (int i = 0; i < 10_000; i++) {
            long v = r.nextLong(10);
            assertTrue(v >= 0 && v < 10);
            hits[(int) v]++;
            int w = r.nextInt(10);
            assertTrue(w >= 0 && w < 10);
        }
        for (int h : hits) {
            assertTrue(h > 850 && h < 1150, "uneven draws: " + java.util.Arrays.toString(hits));
        }
    }

    @Test
    void weightedDrawsFollowTheWeightsAndNeverPickAZero() {
        Rng r = new Rng(11);
        double[] w = {2, 0, 1, 1};
        int[] hits = new int[4];
        for (int i = 0; i < 40_000; i++) {
            hits[r.nextWeighted(w)]++;
        }
        assertEquals(0, hits[1]);
        assertEquals(0.5, hits[0] / 40_000.0, 0.01);
        assertEquals(0.25, hits[2] / 40_000.0, 0.01);
        IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> r.nextWeighted(new double[] {0, 0}));
        assertTrue(zero.getMessage().contains("every weight is 0"), zero.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> r.nextWeighted(new double[] {1, Double.NaN}));
    }
}
