package org.autoreg.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    void expIsWithinThreeTenMillionthsRelative() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.0007f) {
            double want = Math.exp(x);
            double got = FastMath.exp(x);
            worst = Math.max(worst, Math.abs(got - want) / want);
        }
        assertTrue(worst < 3e-7, "max relative error " + worst);
        assertEquals(1f, FastMath.exp(0f));
        assertEquals(FastMath.exp(-87f), FastMath.exp(-1e4f), "clamped below at e^-87");
        assertEquals(FastMath.exp(88f), FastMath.exp(1e4f), "clamped above at e^88");
        assertTrue(FastMath.exp(-87f) < 2e-38f);
    }

    @Test
    void theArrayFormGivesTheSameNumbers() {
        int n = 10_000;
        float[] x = new float[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * 30);
        }
        float[] out = new float[n];
        FastMath.exp(x, out, new float[n], new int[n], n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(FastMath.exp(x[i])), Float.floatToIntBits(out[i]), "x = " + x[i]);
        }
        float[] inPlace = x.clone();
        FastMath.exp(inPlace, inPlace, new float[n], new int[n], n);
        assertEquals(java.util.Arrays.toString(out), java.util.Arrays.toString(inPlace));
    }

    @Test
    void softmaxRowsNormalizeEachRowAndZeroACausalRowsFuture() {
        int rows = 5;
        int width = 5;
        float scale = 0.5f;
        float[] x = new float[rows * width];
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 10);
        }
        for (boolean causal : new boolean[] {false, true}) {
            float[] got = x.clone();
            FastMath.softmaxRows(got, rows, width, causal, scale, new float[x.length], new int[x.length]);
            for (int row = 0; row < rows; row++) {
                int len = causal ? row + 1 : width;
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < len; u++) {
                    max = Math.max(max, x[row * width + u] * scale);
                }
                double sum = 0;
                for (int u = 0; u < len; u++) {
                    sum += Math.exp(x[row * width + u] * scale - max);
                }
                for (int u = 0; u < width; u++) {
                    double want = u < len ? Math.exp(x[row * width + u] * scale - max) / sum : 0;
                    assertEquals(want, got[row * width + u], 1e-6, "causal " + causal + ", row " + row + ", column " + u);
                }
            }
        }
    }
}
