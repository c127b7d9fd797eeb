package org.autoreg.core.engine;

/**
 * The key/value cache of one attention layer for decoding, and attention of one new token over
 * it. Keys are stored after rotation (RoPE) at their absolute positions, in slot
 * {@code pos mod window}: with rotary positions the cache rolls, the oldest entry overwritten, and
 * a token attends to the last {@code window} positions (itself included).
 * <pre>
 * per query head h (kv head h / group):  s_i = q·k_i,  a = softmax(s / √hs),  y = Σ_i a_i v_i
 * </pre>
 * Every cached row is its own array indexed from 0, so the loops vectorize (NOTES.md); with
 * explicit SIMD, {@link VectorAttention} runs the two sums over rows padded to whole vectors. One
 * per (sequence, layer): a {@link Decoder} owns its layers' caches, the batched kernels read them.
 */
final class KvCache {
    private final int NH;
    private final int NKV;
    private final int HS;
    private final int window;
    private final boolean simd;
    private final int hsPad;           // hs, or with SIMD rounded up to whole vectors
    private final float[][][] keys;    // [NKV][hs][window (+ a vector with SIMD)] transposed: scores as axpys
    private final float[][][] values;  // [NKV][window][hsPad]
    private final float[] yh;          // [hsPad] its output
    private final float[] scores;      // [window (+ a vector with SIMD)]
    private final float[] scratch;
    private final int[] bits;

    KvCache(int nHead, int nKv, int headSize, int window) {
        this(nHead, nKv, headSize, window, org.autoreg.core.Simd.enabled());
    }

    /** As above, with {@link VectorAttention} when {@code simd} (which needs the module), else plain loops. */
    KvCache(int nHead, int nKv, int headSize, int window, boolean simd) {
        NH = nHead;
        NKV = nKv;
        HS = headSize;
        this.window = window;
        this.simd = simd;
        int pad = simd ? VectorAttention.lanes() : 0;
        hsPad = simd ? (HS + pad - 1) / pad * pad : HS;
        keys = new float[NKV][HS][window + pad];
        values = new float[NKV][window][hsPad];
        yh = new float[hsPad];
        scores = new float[window + pad];
        scratch = new float[window];
        bits = new int[window];
    }

    /** Copies positions 0 .. n − 1 (not wrapped: n ≤ both windows) from {@code from}. */
    void copyPrefix(KvCache from, int n) {
        for (int kh = 0; kh < NKV; kh++) {
            for (int d = 0; d < HS; d++) {
                System.arraycopy(from.keys[kh][d], 0, keys[kh][d], 0, n);
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(from.values[kh][i], 0, values[kh][i], 0, HS);
            }
        }
    }

    /**
     * Stores the token's keys and values (NKV heads from {@code k[ko]}, {@code v[vo]}) at position
     * {@code pos}, then writes the attention output of its NH query heads ({@code q[qo]}) to y[yo, yo + NH·hs).
     */
    void attend(float[] q, int qo, float[] k, int ko, float[] v, int vo, int pos, float[] y, int yo) {
        int slot = pos % window;
        for (int kh = 0; kh < NKV; kh++) {
            for (int d = 0; d < HS; d++) {
                keys[kh][d][slot] = k[ko + kh * HS + d];
            }
            System.arraycopy(v, vo + kh * HS, values[kh][slot], 0, HS);
        }
        int first = Math.max(0, pos - window + 1);
        int len = pos - first + 1;
        int s0 = first % window;                                             // slots s0.., then 0.. when it wraps
        int lenA = Math.min(len, window - s0);
        float scale = (float) (1.0 / Math.sqrt(HS));
        int group = NH / NKV;
        for (int h = 0; h < NH; h++) {
            float[][] kh = keys[h / group];
            float[][] vh = values[h / group];
            if (simd) {
                VectorAttention.scores(scores, q, qo + h * HS, kh, HS, s0, lenA, len);
                VectorAttention.softmax(scores, len, scale);
                VectorAttention.weightedSum(yh, scores, vh, first, window, len, hsPad);
                System.arraycopy(yh, 0, y, yo + h * HS, HS);
                continue;
            }
            java.util.Arrays.fill(scores, 0, len, 0f);
            int qh = qo + h * HS;
            int c = 0;
            for (; c + 4 <= HS; c += 4) {                                    // s_i = q·k_i, four dims a pass
                float q0 = q[qh + c];
                float q1 = q[qh + c + 1];
                float q2 = q[qh + c + 2];
                float q3 = q[qh + c + 3];
                float[] k0 = kh[c];
                float[] k1 = kh[c + 1];
                float[] k2 = kh[c + 2];
                float[] k3 = kh[c + 3];
                for (int i = 0; i < lenA; i++) {
                    scores[i] += q0 * k0[s0 + i] + q1 * k1[s0 + i] + q2 * k2[s0 + i] + q3 * k3[s0 + i];
                }
                for (int i = lenA; i < len; i++) {
                    scores[i] += q0 * k0[i - lenA] + q1 * k1[i - lenA] + q2 * k2[i - lenA] + q3 * k3[i - lenA];
                }
            }
            for (; c < HS; c++) {
                float qd = q[qh + c];
                float[] kd = kh[c];
                for (int i = 0; i < lenA; i++) {
                    scores[i] += qd * kd[s0 + i];
                }
                for (int i = lenA; i < len; i++) {
                    scores[i] += qd * kd[i - lenA];
                }
            }
            FastMath.softmaxRows(scores, 1, len, false, scale, scratch, bits);
            java.util.Arrays.fill(yh, 0f);
            int i = 0;
            for (; i + 4 <= len; i += 4) {                                   // y = Σ a_i v_i, four positions a pass
                float a0 = scores[i];
                float a1 = scores[i + 1];
                float a2 = scores[i + 2];
                float a3 = scores[i + 3];
                float[] v0 = vh[(first + i) % window];
                float[] v1 = vh[(first + i + 1) % window];
                float[] v2 = vh[(first + i + 2) % window];
                float[] v3 = vh[(first + i + 3) % window];
                for (int d = 0; d < HS; d++) {
                    yh[d] += a0 * v0[d] + a1 * v1[d] + a2 * v2[d] + a3 * v3[d];
                }
            }
            for (; i < len; i++) {
                float a = scores[i];
                float[] vr = vh[(first + i) % window];
                for (int d = 0; d < HS; d++) {
                    yh[d] += a * vr[d];
                }
            }
            System.arraycopy(yh, 0, y, yo + h * HS, HS);
        }
    }
}
