package org.autoreg.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Noise words follow count^0.75 when drawn from the trainer's random stream, with {@code </s>}'s
 * share spread evenly over the other words (the C tool draws again uniformly when it hits {@code </s>}).
 */
class NoiseSamplerTest {
    @Test
    void drawsTheUnigramPowerDistribution() {
        long[] counts = {1000, 5000, 1000, 200, 40, 8, 1, 1};
        NoiseSampler s = new NoiseSampler(counts);
        double z = 0;
        for (long c : counts) {
            z += Math.pow(c, 0.75);
        }
        double eos = Math.pow(counts[0], 0.75) / z / (counts.length - 1);
        int n = 4_000_000;
        int[] hits = new int[counts.length];
        long random = 12345;
        for (int i = 0; i < n; i++) {
            random = random * 25214903917L + 11;
            hits[s.sample(random)]++;
        }
        assertEquals(0, hits[0], "</s> is never a noise word");
        for (int i = 1; i < counts.length; i++) {
            double expected = Math.pow(counts[i], 0.75) / z + eos;
            assertEquals(expected, hits[i] / (double) n, 4 * Math.sqrt(expected / n) + 1e-4, "word " + i);
        }
    }
}
