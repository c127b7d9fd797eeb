package org.autoreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    @Test
    void learningRateScheduleIsNanoGpts() {
        LrSchedule s = new LrSchedule(1e-3, 1e-4, 100, 2000, true);
        assertEquals(1e-3 * 1 / 101, s.at(0), 1e-15);
        assertEquals(1e-3 * 100 / 101, s.at(99), 1e-15);
        assertEquals(1e-3, s.at(100), 1e-15, "peak after warm-up");
        assertEquals(1e-4 + 0.5 * (1 - 1e-4 / 1e-3) * 1e-3, s.at(1050), 1e-12, "halfway: the mean of lr and min_lr");
        assertEquals(1e-4, s.at(2000), 1e-15);
        assertEquals(1e-4, s.at(5000), 1e-15);
        assertEquals(1e-3, new LrSchedule(1e-3, 1e-4, 100, 2000, false).at(7), 0);
    }

    @Test
    void clippingScalesToTheMaximumGlobalNorm() {
        float[][] g = {{3, 0}, {0, 4}};
        double norm = AdamW.clipGlobalNorm(g, 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertArrayEquals(new float[] {0.6f, 0}, g[0], 1e-6f);
        assertArrayEquals(new float[] {0, 0.8f}, g[1], 1e-6f);
        float[][] small = {{0.1f, 0.2f}};
        AdamW.clipGlobalNorm(small, 1.0);
        assertArrayEquals(new float[] {0.1f, 0.2f}, small[0], 0f, "below the limit: untouched");
    }

    @Test
    void adamWStepsLikePyTorch() {
        // two steps of torch.optim.AdamW(lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.5), computed by hand
        float[][] p = {{1.0f, -2.0f}, {0.5f}};
        boolean[] decay = {true, false};
        AdamW opt = new AdamW(new int[] {2, 1}, decay, 0.9, 0.99, 1e-8, 0.5);
        float[][] g1 = {{0.2f, -0.4f}, {1.0f}};
        float[][] g2 = {{-0.1f, 0.3f}, {0.5f}};
        double[][] pd = {{1.0, -2.0}, {0.5}};
        double[][] m = {{0, 0}, {0}};
        double[][] v = {{0, 0}, {0}};
        for (int t = 1; t <= 2; t++) {
            float[][] g = t == 1 ? g1 : g2;
            opt.step(p, new float[][] {g[0].clone(), g[1].clone()}, 0.1);
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < pd[i].length; k++) {
                    if (decay[i]) {
                        pd[i][k] *= 1 - 0.1 * 0.5;
                    }
                    m[i][k] = 0.9 * m[i][k] + 0.1 * g[i][k];
                    v[i][k] = 0.99 * v[i][k] + 0.01 * g[i][k] * g[i][k];
                    double mh = m[i][k] / (1 - Math.pow(0.9, t));
                    double vh = v[i][k] / (1 - Math.pow(0.99, t));
                    pd[i][k] -= 0.1 * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < pd[i].length; k++) {
                assertEquals(pd[i][k], p[i][k], 1e-6, "param " + i + "[" + k + "]");
            }
        }
        assertEquals(2, opt.steps());
    }

    @Test
    void decayMaskSkipsBiasesLayerNormAndEmbeddings() {
        List<String> names = List.of("transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.ln_1.weight",
                "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias", "lm_head.weight");
        List<long[]> shapes = List.of(new long[] {65, 8}, new long[] {16, 8}, new long[] {8}, new long[] {8, 24},
                new long[] {24}, new long[] {8, 65});
        assertArrayEquals(new boolean[] {false, false, false, true, false, true}, AdamW.decayMask(names, shapes, false));
        assertArrayEquals(new boolean[] {true, true, false, true, false, true}, AdamW.decayMask(names, shapes, true));
    }
}
