package org.autoreg.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorRowOpsTest {

    @Test
    void fourDotProductsAtOnceAreEachExactlyTheSingleOne() {
        Random r = new Random(3);
        for (int n : new int[] {100, 7, 16, 33}) {
            float[] in = new float[n];
            float[] m = new float[10 * n + 5];
            for (int i = 0; i < in.length; i++) {
                in[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) r.nextGaussian();
            }
            float[] other = m.clone();
            int[] offsets = {5 + 3 * n, 5, 5 + 9 * n, 5 + 3 * n};   // unaligned rows, one repeated
            float[] out = new float[6];
            VectorRowOps.dot4(in, m, offsets[0], other, offsets[1], m, offsets[2], m, offsets[3], n, out, 1);
            for (int j = 0; j < 4; j++) {
                float single = VectorRowOps.dot(in, 0, m, offsets[j], n);
                assertEquals(Float.floatToIntBits(single), Float.floatToIntBits(out[1 + j]), "row " + j + ", n = " + n);
            }
            assertEquals(0f, out[0], "nothing written before 'at'");
            assertEquals(0f, out[5], "nothing written after the four");
        }
    }
}
