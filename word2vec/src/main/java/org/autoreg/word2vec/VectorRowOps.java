package org.autoreg.word2vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row operations of training in explicit SIMD (JDK's {@code jdk.incubator.vector}), on rows
 * at any offset: C2 vectorizes the plain loops only over arrays indexed alike, and never a float
 * sum (the dot product). Loaded only when the JVM runs with {@code --add-modules
 * jdk.incubator.vector} (the launcher adds it for {@code word2vec}); otherwise {@link Word2Vec}
 * works on row copies with plain loops. One node of hierarchical softmax (a dot product and two
 * axpys over 100 floats): 30 ns against 81 ns with copies and 107 ns without (AVX-512, 16 lanes).
 */
final class VectorRowOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorRowOps() {
    }

    /** a[ao, ao+n) · b[bo, bo+n) */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /**
     * out[at + j] = a[0, n) · b<sub>j</sub>[o<sub>j</sub>, o<sub>j</sub>+n) for four rows at once, each
     * sum exactly as {@link #dot} makes it. The four rows' loads interleave, so their cache misses
     * are in flight together: a row another core has just written costs a core-to-core round trip,
     * and four such rows now cost about one.
     */
    static void dot4(float[] a, float[] b0, int o0, float[] b1, int o1, float[] b2, int o2, float[] b3, int o3,
            int n, float[] out, int at) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            s0 = x.fma(FloatVector.fromArray(S, b0, o0 + i), s0);
            s1 = x.fma(FloatVector.fromArray(S, b1, o1 + i), s1);
            s2 = x.fma(FloatVector.fromArray(S, b2, o2 + i), s2);
            s3 = x.fma(FloatVector.fromArray(S, b3, o3 + i), s3);
        }
        float r0 = s0.reduceLanes(VectorOperators.ADD);
        float r1 = s1.reduceLanes(VectorOperators.ADD);
        float r2 = s2.reduceLanes(VectorOperators.ADD);
        float r3 = s3.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            r0 += a[i] * b0[o0 + i];
            r1 += a[i] * b1[o1 + i];
            r2 += a[i] * b2[o2 + i];
            r3 += a[i] * b3[o3 + i];
        }
        out[at] = r0;
        out[at + 1] = r1;
        out[at + 2] = r2;
        out[at + 3] = r3;
    }

    /** e[0, n) += g·out[oo, oo+n); out[oo, oo+n) += g·in[0, n) (the old out in both). */
    static void update(float[] e, float[] out, int oo, float[] in, float g, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector w = FloatVector.fromArray(S, out, oo + i);
            FloatVector.fromArray(S, e, i).add(w.mul(g)).intoArray(e, i);
            w.add(FloatVector.fromArray(S, in, i).mul(g)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float w = out[oo + i];
            e[i] += g * w;
            out[oo + i] = w + g * in[i];
        }
    }

    /** dst[0, n) += src[off, off+n) */
    static void addFrom(float[] dst, float[] src, int off, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector.fromArray(S, dst, i).add(FloatVector.fromArray(S, src, off + i)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] += src[off + i];
        }
    }

    /** dst[off, off+n) += src[0, n) */
    static void add(float[] dst, int off, float[] src, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector.fromArray(S, dst, off + i).add(FloatVector.fromArray(S, src, i)).intoArray(dst, off + i);
        }
        for (; i < n; i++) {
            dst[off + i] += src[i];
        }
    }
}
