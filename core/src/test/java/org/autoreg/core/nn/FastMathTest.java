package org.autoreg.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    void expIsWithinThreeTenMillionthsRelative() {
        double worst = 0;
        for (float x = -87f; x <= 88.5f; x += 0.0007f) {
            double want = Math.exp(x);
            double got = FastMath.exp(x);
            worst = Math.max(worst, Math.abs(got - want) / want);
        }
        assertTrue(worst < 3e-7, "max relative error " + worst);
        assertEquals((float) Math.exp(-100), FastMath.exp(-100f));
        assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(100f));
        assertEquals(1f, FastMath.exp(0f));
    }
}
