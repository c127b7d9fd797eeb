package org.autoreg.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.autoreg.core.Simd;
import org.autoreg.core.nn.Init;
import org.autoreg.core.nn.Params;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The explicit-SIMD decoding kernels ({@link VectorProducts}, {@link VectorAttention}) compute what
 * the plain loops compute, and a row's product does not depend on the rows beside it. The suite runs
 * with {@code jdk.incubator.vector} (the parent pom's argLine), so both paths are exercised here; the
 * decoder tests run the SIMD path end to end against the full forward pass.
 */
class VectorKernelsTest {

    @BeforeAll
    static void simdAvailable() {
        assumeTrue(Simd.enabled(), "the JVM runs without --add-modules jdk.incubator.vector");
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /**
     * Both layouts, with and without a bias, widths that leave vector and scalar tails, inputs in
     * several blocks, and a weight large enough for single rows to be streamed.
     */
    @Test
    void linearProductsMatchThePlainLoopsAndARowIsTheSameInAnyBatch() {
        int[][] shapes = {{37, 65}, {128, 131}, {16, 16}, {64, 352}, {520, 523}};
        assertTrue(520L * 523 >= VectorProducts.STREAM_WEIGHTS && 523 <= VectorProducts.STREAM_MAX_OUT
                && 520 > 2 * VectorProducts.BLOCK, "the last shape streams single rows over several blocks");
        Random rnd = new Random(7);
        for (int[] sh : shapes) {
            int in = sh[0];
            int out = sh[1];
            for (Linear.Layout layout : Linear.Layout.values()) {
                for (boolean bias : new boolean[] {false, true}) {
                    Params p = new Params(DataType.FLOAT, 3);
                    p.getOrCreate("w", layout == Linear.Layout.IN_OUT ? new long[] {in, out} : new long[] {out, in},
                            Init.normal(0.5));
                    if (bias) {
                        p.getOrCreate("b", new long[] {out}, Init.normal(0.5));
                    }
                    Tensors t = new Tensors(p, false);
                    Linear simd = new Linear(t, "w", "b", in, out, layout);
                    simd.useRows(true);
                    Linear plain = new Linear(t, "w", "b", in, out, layout);
                    plain.useRows(false);
                    String what = in + "×" + out + " " + layout + (bias ? " with bias" : "");
                    for (int n = 1; n <= 9; n++) {
                        float[] x = random(rnd, n * in);
                        float[] ys = new float[n * out];
                        float[] yp = new float[n * out];
                        simd.forward(ys, x, n);
                        plain.forward(yp, x, n);
                        for (int i = 0; i < ys.length; i++) {
                            assertEquals(yp[i], ys[i], 1e-4 * (1 + Math.abs(yp[i])), what + ", " + n + " rows, entry " + i);
                        }
                        for (int r = 0; r < n; r++) {          // the row alone: the same bits
                            float[] alone = new float[out];
                            simd.forward(alone, java.util.Arrays.copyOfRange(x, r * in, (r + 1) * in), 1);
                            assertArrayEquals(java.util.Arrays.copyOfRange(ys, r * out, (r + 1) * out), alone,
                                    what + ": row " + r + " of " + n + " differs from the row alone");
                        }
                    }
                }
            }
        }
    }

    /** Grouped heads, a head size that is not a whole number of vectors, a cache that rolls. */
    @Test
    void cachedAttentionMatchesThePlainLoops() {
        int nh = 4;
        int nkv = 2;
        int hs = 24;
        int window = 20;
        KvCache simd = new KvCache(nh, nkv, hs, window, true);
        KvCache plain = new KvCache(nh, nkv, hs, window, false);
        Random rnd = new Random(11);
        for (int pos = 0; pos < 3 * window + 5; pos++) {
            float[] q = random(rnd, nh * hs);
            float[] k = random(rnd, nkv * hs);
            float[] v = random(rnd, nkv * hs);
            float[] ys = new float[nh * hs + 3];
            float[] yp = new float[nh * hs + 3];
            simd.attend(q, 0, k, 0, v, 0, pos, ys, 3);
            plain.attend(q, 0, k, 0, v, 0, pos, yp, 3);
            for (int i = 0; i < ys.length; i++) {
                assertEquals(yp[i], ys[i], 2e-5 * (1 + Math.abs(yp[i])), "position " + pos + ", entry " + i);
            }
        }
    }

    @Test
    void softmaxMatchesFastMath() {
        Random rnd = new Random(5);
        for (int len = 1; len <= 70; len++) {
            float[] s = new float[len + VectorAttention.lanes()];
            float[] x = random(rnd, len);
            for (int i = 0; i < len; i++) {
                x[i] *= 20;
            }
            System.arraycopy(x, 0, s, 0, len);
            java.util.Arrays.fill(s, len, s.length, Float.NaN);          // the padding's content does not matter
            VectorAttention.softmax(s, len, 0.3f);
            FastMath.softmaxRows(x, 1, len, false, 0.3f, new float[len], new int[len]);
            for (int i = 0; i < len; i++) {
                assertEquals(x[i], s[i], 1e-6 + 1e-5 * x[i], "length " + len + ", entry " + i);
            }
        }
    }
}
