package org.autoreg.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoreg.core.ModelConfig;
import org.autoreg.core.Rng;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.GptGradientTest;
import org.autoreg.core.nn.PositionalEncoding;
import org.junit.jupiter.api.Test;

/** The key/value-cached decoder gives the full forward pass's logits, position by position. */
class DecoderTest {

    private static void sameLogits(ModelConfig c) {
        Gpt model = new Gpt(c);
        int t = c.blockSize();
        Engine full = new Engine(model, 1, t, 1, 0);
        Decoder inc = new Decoder(model);
        int[][] x = GptGradientTest.tokens(new Rng(4), 1, t, c.vocabSize());
        for (int p = 0; p < t; p++) {
            float[] a = inc.next(x[0][p]);
            float[] b = full.logits(x, 0, p);
            for (int v = 0; v < a.length; v++) {
                assertEquals(b[v], a[v], 1e-4, "position " + p + ", token " + v);
            }
        }
        assertEquals(t, inc.position());
    }

    @Test
    void gpt2MatchesTheFullPassAndStopsAtAFullCache() {
        ModelConfig c = ModelConfig.babyShakespeare(65);
        sameLogits(c);
        Decoder d = new Decoder(new Gpt(c));
        for (int i = 0; i < c.blockSize(); i++) {
            d.next(1);
        }
        assertThrows(IllegalStateException.class, () -> d.next(0), "a full cache");
        d.reset();
        assertEquals(0, d.position());
    }

    @Test
    void gpt2WithBiasUntiedHeadAndSinusoidalPositions() {
        sameLogits(new ModelConfig(11, 12, 2, 2, 16, 0, true, false, PositionalEncoding.Kind.SINUSOIDAL, 3));
    }

    @Test
    void llamaMatchesTheFullPass() {
        sameLogits(ModelConfig.llama(65, 64, 4, 4, 2, 128, 0, true, 1337));
        sameLogits(new ModelConfig(11, 12, 2, 4, 32, 0, false, false, null, 8, ModelConfig.Architecture.LLAMA, 1, 40,
                100.0, 1e-6));
    }

    /**
     * Past the context the cache rolls: the token at position p attends to the last blockSize
     * cached positions. In one layer that is exactly what a full pass over just those tokens
     * computes (RoPE depends only on relative positions); in deeper models the cached keys of
     * upper layers also carry what their own tokens saw before the window (as in any sliding-window
     * cache), so the two differ there.
     */
    @Test
    void llamaRollsPastItsContext() {
        ModelConfig c = ModelConfig.llama(17, 8, 1, 4, 2, 32, 0, true, 21);
        Gpt model = new Gpt(c);
        Decoder d = new Decoder(model);
        assertTrue(d.rolling());
        Engine full = new Engine(model, 1, 8, 1, 0);
        int[] ids = GptGradientTest.tokens(new Rng(9), 1, 40, 17)[0];
        float worst = 0;
        for (int p = 0; p < ids.length; p++) {
            float[] a = d.next(ids[p]);
            int from = Math.max(0, p - 7);
            int[][] window = new int[1][8];
            System.arraycopy(ids, from, window[0], 0, p - from + 1);
            float[] b = full.logits(window, 0, p - from);
            for (int v = 0; v < a.length; v++) {
                worst = Math.max(worst, Math.abs(a[v] - b[v]));
            }
        }
        assertTrue(worst < 1e-4, "rolling cache vs full window recompute: max |Δlogit| " + worst);
        assertEquals(40, d.position());
    }

    @Test
    void forksShareWeightsNotCaches() {
        Gpt model = new Gpt(ModelConfig.llama(17, 8, 1, 2, 1, 16, 0, true, 2));
        Decoder a = new Decoder(model);
        Decoder b = a.fork();
        a.next(3);
        a.next(4);
        float[] fromA = a.next(5);
        b.next(3);
        b.next(4);
        float[] fromB = b.next(5);
        org.junit.jupiter.api.Assertions.assertArrayEquals(fromA, fromB, 0f);
        assertEquals(0, a.fork().position());
        assertThrows(IllegalArgumentException.class, () -> a.next(17));
    }

    /**
     * Continuous batching: sequences of different lengths advance together, some taking several
     * rows in one pass (a prompt), joining and leaving between passes; every row's logits are bit
     * for bit what the sequence gets alone.
     */
    private static void batchedEqualsAlone(ModelConfig c) {
        Gpt model = new Gpt(c);
        Decoder template = new Decoder(model);
        int seqs = 5;
        int[][] ids = GptGradientTest.tokens(new Rng(11), seqs, c.blockSize(), c.vocabSize());
        float[][][] alone = new float[seqs][c.blockSize()][];
        for (int s = 0; s < seqs; s++) {
            Decoder d = template.fork();
            for (int p = 0; p < c.blockSize(); p++) {
                alone[s][p] = d.next(ids[s][p]);
            }
        }
        Decoder.Batch batch = new Decoder.Batch(template, 16);
        Decoder[] dec = new Decoder[seqs];
        int[] fed = new int[seqs];
        Rng rng = new Rng(5);
        int passes = 0;
        while (java.util.Arrays.stream(fed).anyMatch(f -> f < c.blockSize())) {
            Decoder[] rowSeq = new Decoder[16];
            int[] tokens = new int[16];
            boolean[] want = new boolean[16];
            int[] owner = new int[16];
            int n = 0;
            for (int s = 0; s < seqs; s++) {
                if (s > passes || fed[s] == c.blockSize()) {
                    continue;                                   // sequence s joins at pass s; finished ones leave
                }
                if (dec[s] == null) {
                    dec[s] = template.fork();
                }
                int take = Math.min(c.blockSize() - fed[s], Math.min(16 - n, 1 + rng.nextInt(3)));
                for (int k = 0; k < take; k++) {
                    rowSeq[n] = dec[s];
                    tokens[n] = ids[s][fed[s] + k];
                    want[n] = true;
                    owner[n++] = s;
                }
                fed[s] += take;
            }
            float[][] logits = batch.step(rowSeq, tokens, want, n);
            for (int r = 0; r < n; r++) {
                int s = owner[r];
                int p = dec[s].position() - (int) java.util.Arrays.stream(owner, r + 1, n).filter(o -> o == s).count() - 1;
                org.junit.jupiter.api.Assertions.assertArrayEquals(alone[s][p], logits[r], 0f,
                        "sequence " + s + ", position " + p + " (pass " + passes + ")");
            }
            passes++;
        }
        assertTrue(passes > 3);
        assertThrows(IllegalArgumentException.class, () -> batch.step(new Decoder[] {new Decoder(model)},
                new int[] {0}, new boolean[] {true}, 1), "another model's decoder");
    }

    @Test
    void batchedRowsEqualEachSequenceAlone() {
        batchedEqualsAlone(ModelConfig.babyShakespeare(65));
        batchedEqualsAlone(new ModelConfig(11, 12, 2, 2, 16, 0, true, false, PositionalEncoding.Kind.SINUSOIDAL, 3));
        batchedEqualsAlone(ModelConfig.llama(65, 32, 2, 4, 2, 64, 0, true, 1337));
    }

    @Test
    void aForkSizedForAShortSequenceGivesTheSameLogitsAndRefusesMore() {
        for (ModelConfig c : new ModelConfig[] {ModelConfig.babyShakespeare(65),
            ModelConfig.llama(65, 32, 2, 4, 2, 64, 0, true, 1337)}) {
            Decoder full = new Decoder(new Gpt(c));
            Decoder small = full.fork(5);
            assertTrue(!small.rolling(), "a cache below the context does not roll");
            for (int p = 0; p < 5; p++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(full.next(p + 1), small.next(p + 1), 0f);
            }
            assertThrows(IllegalStateException.class, () -> small.next(1), "past the positions it was sized for");
            assertEquals(c.architecture() == ModelConfig.Architecture.LLAMA, full.fork(1000).rolling());
        }
    }

    @Test
    void aCopiedPrefixContinuesExactlyAsFeedingIt() {
        for (ModelConfig c : new ModelConfig[] {ModelConfig.babyShakespeare(65),
            ModelConfig.llama(65, 32, 2, 4, 2, 64, 0, true, 1337)}) {
            Decoder fed = new Decoder(new Gpt(c));
            Decoder donor = fed.fork();
            for (int p = 0; p < 6; p++) {
                fed.next(p + 3);
                donor.next(p + 3);
            }
            donor.next(40);                                    // the donor went on differently
            Decoder copied = fed.fork(20);
            copied.copyPrefix(donor, 6);
            assertEquals(6, copied.position());
            org.junit.jupiter.api.Assertions.assertArrayEquals(fed.next(9), copied.next(9), 0f);
            assertThrows(IllegalArgumentException.class, () -> copied.copyPrefix(donor, 2), "only into an empty decoder");
            assertThrows(IllegalArgumentException.class, () -> fed.fork().copyPrefix(donor, 8), "more than it holds");
        }
    }
}
