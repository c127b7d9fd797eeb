package org.autoreg.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The decoding product y[n, out] += x[n, in] · W[in, out] in explicit SIMD
 * ({@code jdk.incubator.vector}; loaded only when {@link org.autoreg.core.Simd#enabled()}).
 * Register tiles of 4 rows × 4 vectors: each weight vector is loaded once for four rows and the
 * sixteen sums stay in registers over a block of {@link #BLOCK} inputs (the plain loops load and
 * store every sum at every i). Every sum is one chain of fused multiply-adds over i in order,
 * started from the bias, in a tile of four rows, of one row, a streamed row and the scalar tail
 * alike — so a row's result is the same bits whatever rows are beside it. The baby's shapes at 16
 * lanes (AVX-512): ~90 GMAC/s for 4 or more rows, ~28 for one, against ~20 and ~15 for the plain
 * loops.
 */
final class VectorProducts {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Inputs per block: each block's slice of the weight is read for every group of rows while it is in L2. */
    static final int BLOCK = 64;
    /**
     * A single row reads a weight of this many floats or more (1 MB: past L2) row by row, its sums in
     * L1 (out ≤ {@link #STREAM_MAX_OUT}), not tile by tile: the tiles' strided walk down the weight
     * loses to the prefetcher's sequential stream there (768 × 3072: 0.13–0.16 ms against 0.22 ms,
     * whose 12 KB stride also aliases in L1), and wins on weights that stay in cache (the baby's
     * shapes: 28 against 13 GMAC/s). Both add x[i]·w[i, j] to the same chain in the same order.
     */
    static final int STREAM_WEIGHTS = 256 * 1024;
    static final int STREAM_MAX_OUT = 8192;

    private VectorProducts() {
    }

    /** y[n, out] += x[n, in] · w[in, out] (y holds each row's bias, or 0, when the sums start). */
    static void addProduct(float[] y, float[] x, float[] w, int n, int in, int out) {
        int jv = out / L * L;                    // [0, jv) in vectors, [jv, out) scalar
        boolean streamRows = (long) in * out >= STREAM_WEIGHTS && out <= STREAM_MAX_OUT;
        for (int i0 = 0; i0 < in; i0 += BLOCK) {
            int i1 = Math.min(in, i0 + BLOCK);
            int r = 0;
            for (; r + 4 <= n; r += 4) {
                int j = fourRows(y, x, w, r, i0, i1, in, out, jv);
                for (int k = r; k < r + 4; k++) {
                    rest(y, x, w, k, i0, i1, in, out, j, jv);
                }
            }
            for (; r < n; r++) {
                int j = streamRows ? oneRowStreaming(y, x, w, r, i0, i1, in, out, jv)
                        : oneRow(y, x, w, r, i0, i1, in, out, jv);
                rest(y, x, w, r, i0, i1, in, out, j, jv);
            }
        }
    }

    /**
     * The sums of y[o, o + L) so far: the bias the caller put there, then each block's (a load, no
     * branch: JDK 17 boxes a vector that two paths merge into).
     */
    private static FloatVector start(float[] y, int o) {
        return FloatVector.fromArray(S, y, o);
    }

    /** Rows r..r+3, inputs [i0, i1), columns in whole tiles of 4 vectors; returns the first column left. */
    private static int fourRows(float[] y, float[] x, float[] w, int r, int i0, int i1, int in, int out,
            int jv) {
        int x0 = r * in;
        int x1 = x0 + in;
        int x2 = x1 + in;
        int x3 = x2 + in;
        int j = 0;
        for (; j + 4 * L <= jv; j += 4 * L) {
            int y0 = r * out + j;
            int y1 = y0 + out;
            int y2 = y1 + out;
            int y3 = y2 + out;
            FloatVector a00 = start(y, y0);                // a<row><vector>
            FloatVector a01 = start(y, y0 + L);
            FloatVector a02 = start(y, y0 + 2 * L);
            FloatVector a03 = start(y, y0 + 3 * L);
            FloatVector a10 = start(y, y1);
            FloatVector a11 = start(y, y1 + L);
            FloatVector a12 = start(y, y1 + 2 * L);
            FloatVector a13 = start(y, y1 + 3 * L);
            FloatVector a20 = start(y, y2);
            FloatVector a21 = start(y, y2 + L);
            FloatVector a22 = start(y, y2 + 2 * L);
            FloatVector a23 = start(y, y2 + 3 * L);
            FloatVector a30 = start(y, y3);
            FloatVector a31 = start(y, y3 + L);
            FloatVector a32 = start(y, y3 + 2 * L);
            FloatVector a33 = start(y, y3 + 3 * L);
            for (int i = i0, o = i0 * out + j; i < i1; i++, o += out) {
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
            store(y, y0, a00, a01, a02, a03);
            store(y, y1, a10, a11, a12, a13);
            store(y, y2, a20, a21, a22, a23);
            store(y, y3, a30, a31, a32, a33);
        }
        return j;
    }

    private static void store(float[] y, int o, FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        a0.intoArray(y, o);
        a1.intoArray(y, o + L);
        a2.intoArray(y, o + 2 * L);
        a3.intoArray(y, o + 3 * L);
    }

    /** Row r, inputs [i0, i1), columns in whole tiles of 4 vectors; returns the first column left. */
    private static int oneRow(float[] y, float[] x, float[] w, int r, int i0, int i1, int in, int out,
            int jv) {
        int x0 = r * in;
        int j = 0;
        for (; j + 4 * L <= jv; j += 4 * L) {
            int y0 = r * out + j;
            FloatVector a0 = start(y, y0);
            FloatVector a1 = start(y, y0 + L);
            FloatVector a2 = start(y, y0 + 2 * L);
            FloatVector a3 = start(y, y0 + 3 * L);
            for (int i = i0, o = i0 * out + j; i < i1; i++, o += out) {
                FloatVector xi = FloatVector.broadcast(S, x[x0 + i]);
                a0 = FloatVector.fromArray(S, w, o).fma(xi, a0);
                a1 = FloatVector.fromArray(S, w, o + L).fma(xi, a1);
                a2 = FloatVector.fromArray(S, w, o + 2 * L).fma(xi, a2);
                a3 = FloatVector.fromArray(S, w, o + 3 * L).fma(xi, a3);
            }
            store(y, y0, a0, a1, a2, a3);
        }
        return j;
    }

    /** Row r, inputs [i0, i1), columns [0, jv) as axpys over the weight's rows; returns jv. */
    private static int oneRowStreaming(float[] y, float[] x, float[] w, int r, int i0, int i1, int in, int out,
            int jv) {
        int yr = r * out;
        for (int i = i0; i < i1; i++) {
            FloatVector xi = FloatVector.broadcast(S, x[r * in + i]);
            for (int j = 0, o = i * out; j < jv; j += L, o += L) {
                FloatVector.fromArray(S, w, o).fma(xi, FloatVector.fromArray(S, y, yr + j)).intoArray(y, yr + j);
            }
        }
        return jv;
    }

    /** Row r, inputs [i0, i1), columns [j, out): single vectors up to jv, then scalars. */
    private static void rest(float[] y, float[] x, float[] w, int r, int i0, int i1, int in, int out,
            int j, int jv) {
        int x0 = r * in;
        for (; j < jv; j += L) {
            FloatVector a = start(y, r * out + j);
            for (int i = i0, o = i0 * out + j; i < i1; i++, o += out) {
                a = FloatVector.fromArray(S, w, o).fma(FloatVector.broadcast(S, x[x0 + i]), a);
            }
            a.intoArray(y, r * out + j);
        }
        for (; j < out; j++) {
            float s = y[r * out + j];
            for (int i = i0, o = i0 * out + j; i < i1; i++, o += out) {
                s = Math.fma(w[o], x[x0 + i], s);
            }
            y[r * out + j] = s;
        }
    }
}
