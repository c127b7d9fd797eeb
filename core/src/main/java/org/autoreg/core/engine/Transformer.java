package org.autoreg.core.engine;

import org.autoreg.core.ModelConfig;
import org.autoreg.core.nn.Gpt;
import org.autoreg.core.nn.Params;
import org.autoreg.core.nn.PositionalEncoding;

/**
 * A whole model as a composition of kernels, read from its {@link ModelConfig}:
 * <pre>
 * gpt2:  Encoder(wte + wpe) → dropout → L × Block(LayerNorm, fused attention, LayerNorm, GELU MLP) → LayerNorm → head
 * llama: Encoder(embed_tokens) → dropout → L × Block(RMSNorm, RoPE GQA attention, RMSNorm, SwiGLU) → RMSNorm → head
 * </pre>
 * the head being the token embedding again when tied. Built for training batches of B × T
 * tokens, or for decoding steps of up to {@code batch} rows, each one token of some sequence over
 * that sequence's key/value caches ({@code decoding}); both run the same kernels.
 */
final class Transformer {
    final ModelConfig cfg;
    final Tensors t;
    final int B;
    final int T;
    final int C;
    final int V;
    final int rows;
    private final Encoder encoder;
    private final Block[] blocks;
    private final Norm normF;
    private final Linear head;
    private Dropout dropout;           // null without dropout or when decoding

    private final Workspace ws = new Workspace();
    final float[] encoded;             // [rows, C]
    final float[] embMask;             // [rows, C] dropout mask, or null
    final float[] lnf;                 // [rows, C]
    final float[] logits;              // [rows, V]
    private final float[] dres;        // [rows, C] backward scratch
    private final float[] dnc;
    private final float[] dtmp;
    private final KvCache[] layerCaches;  // [B] decoding: one layer's cache of each row

    Transformer(Params params, ModelConfig cfg, int batch, int seq, int threads, long dropoutSeed, boolean decoding) {
        this(new Tensors(params, !decoding), cfg, batch, seq, threads, dropoutSeed, decoding);
    }

    Transformer(Tensors t, ModelConfig cfg, int batch, int seq, int threads, long dropoutSeed, boolean decoding) {
        this.cfg = cfg;
        this.t = t;
        B = batch;
        T = decoding ? cfg.blockSize() : seq;
        C = cfg.nEmbd();
        V = cfg.vocabSize();
        rows = decoding ? batch : B * T;
        double p = decoding ? 0 : cfg.dropout();
        dropout = p > 0 ? new Dropout(dropoutSeed) : null;
        boolean llama = cfg.architecture() == ModelConfig.Architecture.LLAMA;
        String wte = Gpt.tokenEmbedding(cfg);
        float[] pe = null;
        float[] dpe = null;
        if (!llama) {
            if (cfg.positional() == PositionalEncoding.Kind.LEARNED) {
                pe = t.p(Gpt.WPE);
                dpe = t.g(Gpt.WPE);
            } else {
                pe = Params.floats(PositionalEncoding.sinusoidalTable(cfg.blockSize(), C));
            }
        }
        encoder = new Encoder(t.p(wte), t.g(wte), pe, dpe, C);
        blocks = new Block[cfg.nLayer()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = llama ? llamaBlock(l, p, threads, decoding) : gpt2Block(l, p, threads, decoding);
        }
        normF = llama ? new RmsNorm(t, Gpt.LLAMA_NORM, C, cfg.rmsNormEps(), rows)
                : new LayerNorm(t, "transformer.ln_f", C, rows);
        if (cfg.tiedEmbeddings()) {
            head = new Linear(t, wte, null, C, V, Linear.Layout.OUT_IN);             // logits = x · wteᵀ
        } else {
            head = new Linear(t, Gpt.LM_HEAD, null, C, V, llama ? Linear.Layout.OUT_IN : Linear.Layout.IN_OUT);
        }
        if (decoding) {
            head.useRows();
        }
        encoded = new float[rows * C];
        embMask = dropout == null ? null : new float[rows * C];
        lnf = new float[rows * C];
        logits = new float[rows * V];
        dres = decoding ? null : new float[rows * C];
        dnc = decoding ? null : new float[rows * C];
        dtmp = decoding ? null : new float[rows * C];
        layerCaches = decoding ? new KvCache[rows] : null;
    }

    private Block gpt2Block(int l, double p, int threads, boolean decoding) {
        String h = "transformer.h." + l;
        GeluMlp mlp = new GeluMlp(t, h + ".mlp", C, cfg.mlpHidden(), rows, ws, cfg.geluTanh());
        if (decoding) {
            mlp.useRows();
        }
        return new Block(new LayerNorm(t, h + ".ln_1", C, rows),
                new Attention(t, h + ".attn", true, C, cfg.nHead(), cfg.nHead(), B, T, null, p, dropout, 3 * l + 1,
                        threads, decoding, ws),
                new LayerNorm(t, h + ".ln_2", C, rows), mlp, C, rows, p, dropout, 3 * l + 2);
    }

    private Block llamaBlock(int l, double p, int threads, boolean decoding) {
        String h = "model.layers." + l;
        SwiGluMlp mlp = new SwiGluMlp(t, h + ".mlp", C, cfg.mlpHidden(), rows, ws);
        if (decoding) {
            mlp.useRows();
        }
        Rope rope = new Rope(cfg.headSize(), cfg.ropeTheta(), decoding ? 0 : T);
        return new Block(new RmsNorm(t, h + ".input_layernorm", C, cfg.rmsNormEps(), rows),
                new Attention(t, h + ".self_attn", false, C, cfg.nHead(), cfg.kvHeads(), B, T, rope, p, dropout,
                        3 * l + 1, threads, decoding, ws),
                new RmsNorm(t, h + ".post_attention_layernorm", C, cfg.rmsNormEps(), rows), mlp, C, rows, p, dropout,
                3 * l + 2);
    }

    Block[] blocks() {
        return blocks;
    }

    Dropout dropout() {
        return dropout;
    }

    /** Continues from a saved generator state: every kernel draws from the one generator object. */
    void restoreDropout(long[] state) {
        dropout.restore(state);
    }

    /** ids[B·T] → raw logits [B·T, V]; {@code train}: with dropout (a new set of masks). */
    float[] forward(int[] ids, boolean train) {
        int n = rows;
        boolean drop = train && dropout != null;
        if (drop) {
            dropout.nextCall();
        }
        encoder.forward(encoded, ids, n, T);
        if (drop) {
            dropout.fill(embMask, n * C, cfg.dropout(), 0, 0);
            Dropout.apply(encoded, embMask, n * C);
        }
        float[] x = encoded;
        for (Block b : blocks) {
            x = b.forward(x, n, train);
        }
        normF.forward(lnf, x, n);
        head.forward(logits, lnf, n);
        return logits;
    }

    /** Backward of the last {@link #forward} from dlogits[B·T, V]: adds every parameter's gradient. */
    void backward(float[] dlogits, int[] ids, boolean train) {
        int n = rows;
        float[] last = blocks.length == 0 ? encoded : blocks[blocks.length - 1].res3;
        head.backward(dnc, dlogits, lnf, n, false);
        java.util.Arrays.fill(dres, 0f);
        normF.backward(dres, dnc, last, n);
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dres, l == 0 ? encoded : blocks[l - 1].res3, n, train, dnc, dtmp);
        }
        if (train && dropout != null) {
            Dropout.apply(dres, embMask, n * C);
        }
        encoder.backward(dres, ids, n, T);
    }

    /**
     * Decoding: feeds n ≤ B rows, row r the token ids[r] at absolute position pos[r] of the sequence
     * whose per-layer caches are caches[r] (the caches grow by it); returns the logits of the m rows
     * listed in {@code want} (ascending), packed [m, V].
     */
    float[] step(int[] ids, int[] pos, KvCache[][] caches, int n, int[] want, int m) {
        encoder.forward(encoded, ids, pos, n);
        float[] x = encoded;
        KvCache[] layer = layerCaches;
        for (int l = 0; l < blocks.length; l++) {
            for (int r = 0; r < n; r++) {
                layer[r] = caches[r][l];
            }
            x = blocks[l].step(x, n, pos, layer);
        }
        for (int i = 0; i < m; i++) {                      // only the rows whose next token is wanted
            if (want[i] != i) {
                System.arraycopy(x, want[i] * C, x, i * C, C);
            }
        }
        normF.forward(lnf, x, m);
        head.forward(logits, lnf, m);
        return logits;
    }
}
