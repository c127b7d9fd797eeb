package org.autoreg.core.engine;

import org.bytedeco.openblas.global.openblas;

/** Row-major single-precision matrix products on Java arrays, through OpenBLAS (ND4J's own BLAS). */
final class Blas {
    private Blas() {
    }

    /**
     * c[m, n] = op(a)[m, k] · op(b)[k, n] + beta · c, where op transposes when asked
     * (a is stored [k, m] if {@code transA}, b is stored [n, k] if {@code transB}).
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float beta, float[] c) {
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1f, a, transA ? m : k, b,
                transB ? k : n, beta, c, n);
    }
}
