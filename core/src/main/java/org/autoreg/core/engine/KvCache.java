package org.autoreg.core.engine;

/**
 * The key/value cache of one attention layer for decoding, and attention of one new token over
 * it. Keys are stored after rotation (RoPE) at their absolute positions, in slot
 * {@code pos mod window}: with rotary positions the cache rolls, the oldest entry overwritten, and
 * a token attends to the last {@code window} positions (itself included).
 * <pre>
 * per query head h (kv head h / group):  s_i = q·k_i,  a = softmax(s / √hs),  y = Σ_i a_i v_i
 * </pre>
 * Every cached row is its own array indexed from 0, so the loops vectorize (NOTES.md). One per
 * (sequence, layer): a {@link Decoder} owns its layers' caches, the batched kernels read them.
 */
final class KvCache {
    private final int NH;
    private final int NKV;
    private final int HS;
    private final int window;
    private final float[][][] keys;    // [NKV][window][hs]
    private final float[][][] values;  // [NKV][window][hs]
    private final float[] qh;          // [hs] one query head
    private final float[] yh;          // [hs] its output
    private final float[] scores;      // [window]
    private final float[] scratch;
    private final int[] bits;

    KvCache(int nHead, int nKv, int headSize, int window) {
        NH = nHead;
        NKV = nKv;
        HS = headSize;
        this.window = window;
        keys = new float[NKV][window][HS];
        values = new float[NKV][window][HS];
        qh = new float[HS];
        yh = new float[HS];
        scores = new float[window];
        scratch = new float[window];
        bits = new int[window];
    }

    /**
     * Stores the token's keys and values (NKV heads from {@code k[ko]}, {@code v[vo]}) at position
     * {@code pos}, then writes the attention output of its NH query heads ({@code q[qo]}) to y[yo, yo + NH·hs).
     */
    void attend(float[] q, int qo, float[] k, int ko, float[] v, int vo, int pos, float[] y, int yo) {
        int slot = pos % window;
        for (int kh = 0; kh < NKV; kh++) {
            System.arraycopy(k, ko + kh * HS, keys[kh][slot], 0, HS);
            System.arraycopy(v, vo + kh * HS, values[kh][slot], 0, HS);
        }
        int first = Math.max(0, pos - window + 1);
        int len = pos - first + 1;
        float scale = (float) (1.0 / Math.sqrt(HS));
        int group = NH / NKV;
        for (int h = 0; h < NH; h++) {
            float[][] kh = keys[h / group];
            float[][] vh = values[h / group];
            System.arraycopy(q, qo + h * HS, qh, 0, HS);
            for (int i = 0; i < len; i++) {
                float[] kr = kh[(first + i) % window];
                float dot = 0;
                for (int d = 0; d < HS; d++) {
                    dot += qh[d] * kr[d];
                }
                scores[i] = dot;                                             // q·k_i
            }
            FastMath.softmaxRows(scores, 1, len, false, scale, scratch, bits);
            java.util.Arrays.fill(yh, 0f);
            for (int i = 0; i < len; i++) {
                float a = scores[i];
                float[] vr = vh[(first + i) % window];
                for (int d = 0; d < HS; d++) {
                    yh[d] += a * vr[d];                                      // y = Σ a_i v_i
                }
            }
            System.arraycopy(yh, 0, y, yo + h * HS, HS);
        }
    }
}
