package org.autoreg.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One query head's attention over a {@link KvCache} in explicit SIMD ({@code jdk.incubator.vector};
 * loaded only when {@link org.autoreg.core.Simd#enabled()}). The plain loops run over at most a
 * window of positions and a head's few dimensions, too short for the JIT's unrolled vector loops
 * (it runs them as scalar pre- and post-loops); here every pass is one vector of positions or of
 * dimensions, and the cache's rows are padded by {@link #lanes()} so that no pass needs a scalar
 * tail (the lanes past the end are computed and ignored). The softmax between them is
 * {@link FastMath}'s, a vector at a time.
 */
final class VectorAttention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorAttention() {
    }

    /** The padding the cache's rows need: one vector. */
    static int lanes() {
        return L;
    }

    /**
     * s[0, len) = q[qo, qo+hs) · k_i over positions i of a rolling cache: i in [0, lenA) at slot s0 + i,
     * i in [lenA, len) at slot i − lenA. k[hs][≥ window + L] holds the keys transposed;
     * s[≥ window + L] gets garbage past len.
     */
    static void scores(float[] s, float[] q, int qo, float[][] k, int hs, int s0, int lenA, int len) {
        scoreSpan(s, 0, q, qo, k, hs, s0, lenA);
        scoreSpan(s, lenA, q, qo, k, hs, 0, len - lenA);
    }

    /**
     * s[p0, p0 + m) = q · k[·][o0, o0 + m), a vector of positions a pass, summed over the dims in
     * registers: even and odd dims in two sums (four independent chains with two vectors of positions).
     */
    private static void scoreSpan(float[] s, int p0, float[] q, int qo, float[][] k, int hs, int o0, int m) {
        int j = 0;
        for (; j + L < m; j += 2 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector b1 = FloatVector.zero(S);
            int c = 0;
            for (; c + 1 < hs; c += 2) {
                FloatVector qa = FloatVector.broadcast(S, q[qo + c]);
                FloatVector qb = FloatVector.broadcast(S, q[qo + c + 1]);
                float[] ka = k[c];
                float[] kb = k[c + 1];
                a0 = FloatVector.fromArray(S, ka, o0 + j).fma(qa, a0);
                a1 = FloatVector.fromArray(S, ka, o0 + j + L).fma(qa, a1);
                b0 = FloatVector.fromArray(S, kb, o0 + j).fma(qb, b0);
                b1 = FloatVector.fromArray(S, kb, o0 + j + L).fma(qb, b1);
            }
            if (c < hs) {
                FloatVector qa = FloatVector.broadcast(S, q[qo + c]);
                a0 = FloatVector.fromArray(S, k[c], o0 + j).fma(qa, a0);
                a1 = FloatVector.fromArray(S, k[c], o0 + j + L).fma(qa, a1);
            }
            a0.add(b0).intoArray(s, p0 + j);
            a1.add(b1).intoArray(s, p0 + j + L);
        }
        if (j < m) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S);
            int c = 0;
            for (; c + 1 < hs; c += 2) {
                a0 = FloatVector.fromArray(S, k[c], o0 + j).fma(FloatVector.broadcast(S, q[qo + c]), a0);
                b0 = FloatVector.fromArray(S, k[c + 1], o0 + j).fma(FloatVector.broadcast(S, q[qo + c + 1]), b0);
            }
            if (c < hs) {
                a0 = FloatVector.fromArray(S, k[c], o0 + j).fma(FloatVector.broadcast(S, q[qo + c]), a0);
            }
            a0.add(b0).intoArray(s, p0 + j);
        }
    }

    /**
     * a[0, len) = softmax(s[0, len) · scale) in place, with {@link FastMath#exp(float)}'s
     * approximation; s holds at least len rounded up to a whole vector (the lanes past len are
     * overwritten and end as 0).
     */
    static void softmax(float[] s, int len, float scale) {
        int padded = (len + L - 1) / L * L;
        java.util.Arrays.fill(s, len, padded, Float.NEGATIVE_INFINITY);
        FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < padded; j += L) {
            mx = mx.max(FloatVector.fromArray(S, s, j));
        }
        float max = mx.reduceLanes(VectorOperators.MAX) * scale;
        for (int j = 0; j < padded; j += L) {
            exp(FloatVector.fromArray(S, s, j).mul(scale).sub(max)).intoArray(s, j);
        }
        java.util.Arrays.fill(s, len, padded, 0f);
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < padded; j += L) {
            sum = sum.add(FloatVector.fromArray(S, s, j));
        }
        float inv = 1f / sum.reduceLanes(VectorOperators.ADD);
        for (int j = 0; j < padded; j += L) {
            FloatVector.fromArray(S, s, j).mul(inv).intoArray(s, j);
        }
    }

    /** e^x lane by lane, as {@link FastMath#exp(float)} computes it. */
    private static FloatVector exp(FloatVector x) {
        x = x.max(FastMath.MIN).min(FastMath.MAX);
        FloatVector r = x.mul(FastMath.LOG2E).add(FastMath.ROUND);   // 1.5·2^23 + n: n in its low bits
        FloatVector n = r.sub(FastMath.ROUND);
        FloatVector f = x.sub(n.mul(FastMath.LN2_HI)).add(n.mul(FastMath.LN2_LO));
        FloatVector p = f.mul(FastMath.P6).add(FastMath.P5);
        p = f.mul(p).add(FastMath.P4);
        p = f.mul(p).add(FastMath.P3);
        p = f.mul(p).add(FastMath.P2);
        p = f.mul(p).add(1f);
        p = f.mul(p).add(1f);
        FloatVector twoN = r.reinterpretAsInts().sub(Float.floatToRawIntBits(FastMath.ROUND) - 127)   // (n + 127) << 23
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();                       // (F2I boxes in JDK 17)
        return twoN.mul(p);
    }

    /**
     * y[0, hsPad) = Σ_{i < len} a_i v[(first + i) mod window], a vector of dimensions a pass, the
     * positions in four sums by i mod 4 (independent chains); the rows v[window][hsPad] are padded
     * to whole vectors.
     */
    static void weightedSum(float[] y, float[] a, float[][] v, int first, int window, int len, int hsPad) {
        int f = first % window;
        for (int d = 0; d < hsPad; d += L) {
            FloatVector y0 = FloatVector.zero(S);
            FloatVector y1 = FloatVector.zero(S);
            FloatVector y2 = FloatVector.zero(S);
            FloatVector y3 = FloatVector.zero(S);
            int i = 0;
            for (; i + 4 <= len; i += 4) {
                y0 = FloatVector.fromArray(S, v[slot(f + i, window)], d).fma(FloatVector.broadcast(S, a[i]), y0);
                y1 = FloatVector.fromArray(S, v[slot(f + i + 1, window)], d).fma(FloatVector.broadcast(S, a[i + 1]), y1);
                y2 = FloatVector.fromArray(S, v[slot(f + i + 2, window)], d).fma(FloatVector.broadcast(S, a[i + 2]), y2);
                y3 = FloatVector.fromArray(S, v[slot(f + i + 3, window)], d).fma(FloatVector.broadcast(S, a[i + 3]), y3);
            }
            for (; i < len; i++) {
                y0 = FloatVector.fromArray(S, v[slot(f + i, window)], d).fma(FloatVector.broadcast(S, a[i]), y0);
            }
            y0.add(y1).add(y2.add(y3)).intoArray(y, d);
        }
    }

    /** p mod window for 0 ≤ p < 2·window. */
    private static int slot(int p, int window) {
        return p < window ? p : p - window;
    }
}
