package org.autoreg.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The decoding product y[n, out] = b + x[n, in] · W[in, out] in explicit SIMD
 * ({@code jdk.incubator.vector}; loaded only when {@link org.autoreg.core.Simd#enabled()}).
 * Register tiles of 4 rows × 4 vectors: each weight vector is loaded once for four rows and the
 * sixteen sums stay in registers over the whole of {@code in} (the plain loops load and store
 * every sum at every i). Every sum is one chain of fused multiply-adds over i in order, started
 * from the bias, in a tile of four rows, of one row and in the scalar tail alike — so a row's
 * result is the same bits whatever rows are beside it. 128 × 512 at 16 lanes (AVX-512): ~90
 * GMAC/s for 4 or more rows, ~28 for one, against ~20 and ~15 for the plain loops.
 */
final class VectorProducts {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorProducts() {
    }

    /** y[n, out] = b + x[n, in] · w[in, out]; b may be null. */
    static void forward(float[] y, float[] x, float[] w, float[] b, int n, int in, int out) {
        int jv = out / L * L;                    // [0, jv) in vectors, [jv, out) scalar
        int r = 0;
        for (; r + 4 <= n; r += 4) {
            int j = fourRows(y, x, w, b, r, in, out, jv);
            for (int k = r; k < r + 4; k++) {
                rest(y, x, w, b, k, in, out, j, jv);
            }
        }
        for (; r < n; r++) {
            rest(y, x, w, b, r, in, out, oneRow(y, x, w, b, r, in, out, jv), jv);
        }
    }

    private static FloatVector start(float[] b, int j) {
        return b == null ? FloatVector.zero(S) : FloatVector.fromArray(S, b, j);
    }

    /** Rows r..r+3, columns in whole tiles of 4 vectors; returns the first column left. */
    private static int fourRows(float[] y, float[] x, float[] w, float[] b, int r, int in, int out, int jv) {
        int x0 = r * in;
        int x1 = x0 + in;
        int x2 = x1 + in;
        int x3 = x2 + in;
        int j = 0;
        for (; j + 4 * L <= jv; j += 4 * L) {
            FloatVector s0 = start(b, j);
            FloatVector s1 = start(b, j + L);
            FloatVector s2 = start(b, j + 2 * L);
            FloatVector s3 = start(b, j + 3 * L);
            FloatVector a00 = s0, a01 = s1, a02 = s2, a03 = s3;     // a<row><vector>
            FloatVector a10 = s0, a11 = s1, a12 = s2, a13 = s3;
            FloatVector a20 = s0, a21 = s1, a22 = s2, a23 = s3;
            FloatVector a30 = s0, a31 = s1, a32 = s2, a33 = s3;
            for (int i = 0, o = j; i < in; i++, o += out) {
                FloatVector w0 = FloatVector.fromArray(S, w, o);
                FloatVector w1 = FloatVector.fromArray(S, w, o + L);
                FloatVector w2 = FloatVector.fromArray(S, w, o + 2 * L);
                FloatVector w3 = FloatVector.fromArray(S, w, o + 3 * L);
                FloatVector xi = FloatVector.broadcast(S, x[x0 + i]);
                a00 = w0.fma(xi, a00);
                a01 = w1.fma(xi, a01);
                a02 = w2.fma(xi, a02);
                a03 = w3.fma(xi, a03);
                xi = FloatVector.broadcast(S, x[x1 + i]);
                a10 = w0.fma(xi, a10);
                a11 = w1.fma(xi, a11);
                a12 = w2.fma(xi, a12);
                a13 = w3.fma(xi, a13);
                xi = FloatVector.broadcast(S, x[x2 + i]);
                a20 = w0.fma(xi, a20);
                a21 = w1.fma(xi, a21);
                a22 = w2.fma(xi, a22);
                a23 = w3.fma(xi, a23);
                xi = FloatVector.broadcast(S, x[x3 + i]);
                a30 = w0.fma(xi, a30);
                a31 = w1.fma(xi, a31);
                a32 = w2.fma(xi, a32);
                a33 = w3.fma(xi, a33);
            }
            int o = r * out + j;
            store(y, o, a00, a01, a02, a03);
            store(y, o + out, a10, a11, a12, a13);
            store(y, o + 2 * out, a20, a21, a22, a23);
            store(y, o + 3 * out, a30, a31, a32, a33);
        }
        return j;
    }

    private static void store(float[] y, int o, FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        a0.intoArray(y, o);
        a1.intoArray(y, o + L);
        a2.intoArray(y, o + 2 * L);
        a3.intoArray(y, o + 3 * L);
    }

    /** Row r, columns in whole tiles of 4 vectors; returns the first column left. */
    private static int oneRow(float[] y, float[] x, float[] w, float[] b, int r, int in, int out, int jv) {
        int x0 = r * in;
        int j = 0;
        for (; j + 4 * L <= jv; j += 4 * L) {
            FloatVector a0 = start(b, j);
            FloatVector a1 = start(b, j + L);
            FloatVector a2 = start(b, j + 2 * L);
            FloatVector a3 = start(b, j + 3 * L);
            for (int i = 0, o = j; i < in; i++, o += out) {
                FloatVector xi = FloatVector.broadcast(S, x[x0 + i]);
                a0 = FloatVector.fromArray(S, w, o).fma(xi, a0);
                a1 = FloatVector.fromArray(S, w, o + L).fma(xi, a1);
                a2 = FloatVector.fromArray(S, w, o + 2 * L).fma(xi, a2);
                a3 = FloatVector.fromArray(S, w, o + 3 * L).fma(xi, a3);
            }
            store(y, r * out + j, a0, a1, a2, a3);
        }
        return j;
    }

    /** Row r, columns [j, out): single vectors up to jv, then scalars. */
    private static void rest(float[] y, float[] x, float[] w, float[] b, int r, int in, int out, int j, int jv) {
        int x0 = r * in;
        for (; j < jv; j += L) {
            FloatVector a = start(b, j);
            for (int i = 0, o = j; i < in; i++, o += out) {
                a = FloatVector.fromArray(S, w, o).fma(FloatVector.broadcast(S, x[x0 + i]), a);
            }
            a.intoArray(y, r * out + j);
        }
        for (; j < out; j++) {
            float s = b == null ? 0f : b[j];
            for (int i = 0, o = j; i < in; i++, o += out) {
                s = Math.fma(w[o], x[x0 + i], s);
            }
            y[r * out + j] = s;
        }
    }
}
