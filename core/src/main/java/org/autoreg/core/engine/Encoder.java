package org.autoreg.core.engine;

/**
 * The input layer: {@code x[r] = wte[token r] (+ pe[position of r])}. GPT-2 adds a learned
 * (trained) or sinusoidal (fixed) position table; Llama adds none (its positions are rotary, in
 * attention).
 */
final class Encoder {
    private final int C;
    private final float[] wte;     // [V, C]
    private final float[] dwte;
    private final float[] pe;      // [blockSize, C], or null
    private final float[] dpe;     // null unless learned and training

    Encoder(float[] wte, float[] dwte, float[] pe, float[] dpe, int c) {
        this.wte = wte;
        this.dwte = dwte;
        this.pe = pe;
        this.dpe = dpe;
        C = c;
    }

    /** {@code id}, checked to be a token of a vocabulary of V (an input a user gave, so a clear error). */
    static int check(int id, int V) {
        if (id < 0 || id >= V) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary 0.." + (V - 1));
        }
        return id;
    }

    /** out[n, C] for tokens ids[0, n); row r at position r mod T. */
    void forward(float[] out, int[] ids, int n, int T) {
        for (int r = 0; r < n; r++) {
            row(out, r, ids[r], r % T);
        }
    }

    /** Decoding: out[n, C] for tokens ids[0, n) at the absolute positions pos[0, n). */
    void forward(float[] out, int[] ids, int[] pos, int n) {
        for (int r = 0; r < n; r++) {
            row(out, r, ids[r], pos[r]);
        }
    }

    /** out[r] = wte[token] (+ pe[position]) */
    private void row(float[] out, int r, int token, int position) {
        int o = r * C;
        System.arraycopy(wte, token * C, out, o, C);
        if (pe != null) {
            int po = position * C;
            for (int c = 0; c < C; c++) {
                out[o + c] += pe[po + c];
            }
        }
    }

    /** dwte[token] += dout[r]; dpe[position] += dout[r] for a learned table. */
    void backward(float[] dout, int[] ids, int n, int T) {
        for (int r = 0; r < n; r++) {
            int o = r * C;
            int to = ids[r] * C;
            for (int c = 0; c < C; c++) {
                dwte[to + c] += dout[o + c];
            }
            if (dpe != null) {
                int po = (r % T) * C;
                for (int c = 0; c < C; c++) {
                    dpe[po + c] += dout[o + c];
                }
            }
        }
    }
}
