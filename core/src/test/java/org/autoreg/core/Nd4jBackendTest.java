package org.autoreg.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend the build selects (linux-x86_64 natives by default) loads and computes. */
class Nd4jBackendTest {
    @Test
    void nativeBackendLoadsAndMultiplies() {
        INDArray a = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
        INDArray b = Nd4j.create(new double[][] {{5, 6}, {7, 8}});
        assertArrayEquals(new double[] {19, 22, 43, 50}, a.mmul(b).data().asDouble(), 1e-12);
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        assertTrue(backend.contains("CpuBackend") || backend.contains("Cuda"), backend);
    }
}
