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
