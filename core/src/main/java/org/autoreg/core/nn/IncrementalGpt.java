package org.autoreg.core.nn;

import org.autoreg.core.ModelConfig;

/**
 * A {@link Gpt} run one token at a time with a key/value cache, for generation: the keys and
 * values of every earlier position are kept, so each new token costs one pass of a single
 * vector through the network instead of a pass over the whole context. Plain Java over the
 * model's weights stored as row arrays (the loops vectorize); no SameDiff graph, no BLAS call
 * (which would copy the weight matrices for every token). Same arithmetic as {@link GptEngine}:
 * the logits agree to float rounding (tested). Not thread-safe: use {@link #fork()} for one decoder per thread.
 */
public final class IncrementalGpt {
    private final ModelConfig cfg;
    private final int C;
    private final int NH;
    private final int HS;
    private final int V;
    private final int L;
    private final int blockSize;
    private final Weights w;

    private final float[][][] keys;   // [L][block][C]
    private final float[][][] values; // [L][block][C]
    private int pos;

    // scratch
    private final float[] x;
    private final float[] xn;
    private final float[] qkv;
    private final float[] y;
    private final float[] h;
    private final float[] hGelu;
    private final float[] hGrad;
    private final int[] hBits;
    private final float[] tmp;
    private final float[] scores;
    private final float[] scoreScratch;
    private final int[] scoreBits;

    /** The model's weights as row arrays; read-only once built, shared by forks. */
    private record Weights(ModelConfig cfg, float[][] wte, float[][] headT, float[][] wpe, float[] lnfW, float[] lnfB,
            Block[] blocks) {
        // wte [V][C]; headT [C][V] (the LM head, transposed for axpy form); wpe [block][C] (learned or sinusoidal)

        static Weights of(Gpt model) {
            ModelConfig c = model.config();
            int C = c.nEmbd();
            int V = c.vocabSize();
            int T = c.blockSize();
            Params p = model.params();
            float[][] wte = rows(p, Gpt.WTE, V, C);
            float[][] headT = p.contains(Gpt.LM_HEAD) ? rows(p, Gpt.LM_HEAD, C, V) : transpose(wte);
            float[][] wpe = p.contains(Gpt.WPE) ? rows(p, Gpt.WPE, T, C)
                    : toRows(Params.floats(PositionalEncoding.sinusoidalTable(T, C)), T, C);
            Block[] blocks = new Block[c.nLayer()];
            for (int l = 0; l < blocks.length; l++) {
                String n = "transformer.h." + l + ".";
                blocks[l] = new Block(Params.floats(p.get(n + "ln_1.weight")), opt(p, n + "ln_1.bias"),
                        rows(p, n + "attn.c_attn.weight", C, 3 * C), opt(p, n + "attn.c_attn.bias"),
                        rows(p, n + "attn.c_proj.weight", C, C), opt(p, n + "attn.c_proj.bias"),
                        Params.floats(p.get(n + "ln_2.weight")), opt(p, n + "ln_2.bias"),
                        rows(p, n + "mlp.c_fc.weight", C, 4 * C), opt(p, n + "mlp.c_fc.bias"),
                        rows(p, n + "mlp.c_proj.weight", 4 * C, C), opt(p, n + "mlp.c_proj.bias"));
            }
            return new Weights(c, wte, headT, wpe, Params.floats(p.get("transformer.ln_f.weight")),
                    opt(p, "transformer.ln_f.bias"), blocks);
        }
    }

    private record Block(float[] ln1W, float[] ln1B, float[][] attnW, float[] attnB, float[][] projW, float[] projB,
            float[] ln2W, float[] ln2B, float[][] fcW, float[] fcB, float[][] fcProjW, float[] fcProjB) {
    }

    /** A decoder over {@code model}'s current weights (copied), with an empty cache. */
    public IncrementalGpt(Gpt model) {
        this(Weights.of(model));
    }

    private IncrementalGpt(Weights w) {
        this.w = w;
        cfg = w.cfg();
        C = cfg.nEmbd();
        NH = cfg.nHead();
        HS = C / NH;
        V = cfg.vocabSize();
        L = cfg.nLayer();
        blockSize = cfg.blockSize();
        keys = new float[L][blockSize][C];
        values = new float[L][blockSize][C];
        x = new float[C];
        xn = new float[C];
        qkv = new float[3 * C];
        y = new float[C];
        h = new float[4 * C];
        hGelu = new float[4 * C];
        hGrad = new float[4 * C];
        hBits = new int[4 * C];
        tmp = new float[Math.max(4 * C, V)];
        scores = new float[blockSize];
        scoreScratch = new float[blockSize];
        scoreBits = new int[blockSize];
    }

    /**
     * A new decoder over the same weights (shared, not copied) with an empty cache: one per
     * concurrent sequence. The weights are never written, so forks may run on different threads.
     */
    public IncrementalGpt fork() {
        return new IncrementalGpt(w);
    }

    private static float[] opt(Params p, String name) {
        return p.contains(name) ? Params.floats(p.get(name)) : null;
    }

    private static float[][] rows(Params p, String name, int r, int c) {
        return toRows(Params.floats(p.get(name)), r, c);
    }

    private static float[][] toRows(float[] flat, int r, int c) {
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }

    private static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    public ModelConfig config() {
        return cfg;
    }

    /** Number of tokens in the cache. */
    public int position() {
        return pos;
    }

    /** Forgets every cached token. */
    public void reset() {
        pos = 0;
    }

    /**
     * Appends {@code token} at the next position and returns the logits of the token after it.
     * The context is at most {@code blockSize} tokens: a full cache is an error (the caller
     * slides the window and recomputes).
     */
    public float[] next(int token) {
        if (pos >= blockSize) {
            throw new IllegalStateException("the cache holds blockSize = " + blockSize + " tokens; reset it");
        }
        if (token < 0 || token >= V) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary 0.." + (V - 1));
        }
        float[] te = w.wte()[token];
        float[] pe = w.wpe()[pos];
        for (int c = 0; c < C; c++) {
            x[c] = te[c] + pe[c];
        }
        float scale = (float) (1.0 / Math.sqrt(HS));
        for (int l = 0; l < L; l++) {
            Block b = w.blocks()[l];
            GptEngine.layerNormRow(xn, x, 0, C, b.ln1W(), b.ln1B(), null, null, 0);
            gemv(xn, C, b.attnW(), b.attnB(), qkv, 3 * C);
            System.arraycopy(qkv, C, keys[l][pos], 0, C);
            System.arraycopy(qkv, 2 * C, values[l][pos], 0, C);
            for (int hd = 0; hd < NH; hd++) {
                int o = hd * HS;
                for (int s = 0; s <= pos; s++) {
                    float[] k = keys[l][s];
                    float dot = 0;
                    for (int d = 0; d < HS; d++) {
                        dot += qkv[o + d] * k[o + d];
                    }
                    scores[s] = dot;
                }
                FastMath.softmaxRows(scores, 1, pos + 1, false, scale, scoreScratch, scoreBits);
                java.util.Arrays.fill(y, o, o + HS, 0f);
                for (int s = 0; s <= pos; s++) {
                    float a = scores[s];
                    float[] v = values[l][s];
                    for (int d = 0; d < HS; d++) {
                        y[o + d] += a * v[o + d];
                    }
                }
            }
            gemv(y, C, b.projW(), b.projB(), tmp, C);
            for (int c = 0; c < C; c++) {
                x[c] += tmp[c];
            }
            GptEngine.layerNormRow(xn, x, 0, C, b.ln2W(), b.ln2B(), null, null, 0);
            gemv(xn, C, b.fcW(), b.fcB(), h, 4 * C);
            GptEngine.gelu(hGelu, hGrad, h, hBits);
            gemv(hGelu, 4 * C, b.fcProjW(), b.fcProjB(), tmp, C);
            for (int c = 0; c < C; c++) {
                x[c] += tmp[c];
            }
        }
        GptEngine.layerNormRow(xn, x, 0, C, w.lnfW(), w.lnfB(), null, null, 0);
        float[] logits = new float[V];
        gemv(xn, C, w.headT(), null, logits, V);
        pos++;
        return logits;
    }

    /** out[0, m) = v[0, n) · W[n][m] (+ bias), as axpys over W's rows. */
    private static void gemv(float[] v, int n, float[][] w, float[] bias, float[] out, int m) {
        if (bias != null) {
            System.arraycopy(bias, 0, out, 0, m);
        } else {
            java.util.Arrays.fill(out, 0, m, 0f);
        }
        for (int i = 0; i < n; i++) {
            float vi = v[i];
            float[] row = w[i];
            for (int j = 0; j < m; j++) {
                out[j] += vi * row[j];
            }
        }
    }
}
