package org.autoreg.core.engine;

import java.util.stream.IntStream;

/**
 * Causal self-attention, forward and backward: projections to queries, keys and values (GPT-2's
 * fused {@code c_attn}, or Llama's {@code q_proj}, {@code k_proj}, {@code v_proj}), optional
 * rotary positions on q and k, scaled-dot-product attention per head with nKv ≤ nHead key/value
 * heads (grouped-query: query head h reads kv head h / (nHead/nKv)), dropout on the attention
 * weights, and the output projection.
 * <pre>
 * per head:  s = q kᵀ / √hs + causal mask    [T, T]
 *            att = softmax(s), a = att ⊙ mask_dropout
 *            y = a v                         [T, hs]
 * backward:  dv += aᵀ dy;  da = (dy vᵀ) ⊙ mask_dropout;  ds = att ⊙ (da − Σ_row att·da) / √hs
 *            dq = ds k;  dk += dsᵀ q
 * </pre>
 * Training: the products through OpenBLAS on per-head row arrays, the kv groups of the batch
 * split among worker threads (each group wholly on one worker, so the results do not depend on
 * the thread count). Decoding ({@link #step}): rows of many sequences, each against its own
 * {@link KvCache}.
 */
final class Attention {
    /** Where one of q, k, v lives: columns [col, col + heads·hs) of rows of {@code width}. */
    private record View(float[] a, int width, int col) {
    }

    private final int C;
    private final int NH;
    private final int NKV;
    private final int HS;
    private final int B;
    private final int T;
    private final Linear qkv;      // fused [C → 3C], or null
    private final Linear q;        // split projections, or null
    private final Linear k;
    private final Linear v;
    private final Linear proj;     // [C → C]
    private final Rope rope;       // null: no rotary positions
    private final double p;        // dropout of the attention weights
    private final Dropout dropout; // null when not training
    private final int site;

    private final View qv;
    private final View kv;
    private final View vv;
    private final View dq;
    private final View dk;
    private final View dv;
    private final float[] y;       // [rows, C] heads side by side
    private final View yv;
    private final float[] dy;      // [rows, C] (dy, dq, dk, dv: scratch shared by the layers)
    private final float[][] att;   // [B·NH][T·T] softmax weights (training)
    private final float[][] mask;  // [B·NH][T·T] dropout masks, or null
    private final Scratch[] scratch;

    // decoding: one position's rotation table
    private final float[] ropeCos;
    private final float[] ropeSin;

    /**
     * @param fused   GPT-2's c_attn ({@code name.c_attn}, {@code name.c_proj}, [in, out]); else Llama's
     *                {@code name.q_proj} ... {@code name.o_proj} ([out, in])
     * @param batch   sequences of a training batch, or the most rows of a decoding step
     * @param seq     positions of a training sequence, or of the decoding cache window
     */
    Attention(Tensors t, String name, boolean fused, int c, int nHead, int nKv, int batch, int seq, Rope rope,
            double p, Dropout dropout, int site, int threads, boolean decoding, Workspace ws) {
        C = c;
        NH = nHead;
        NKV = nKv;
        HS = c / nHead;
        B = batch;
        T = seq;
        this.rope = rope;
        this.p = p;
        this.dropout = p > 0 ? dropout : null;
        this.site = site;
        int rows = decoding ? B : B * T;
        int kvw = NKV * HS;
        if (fused) {
            qkv = new Linear(t, name + ".c_attn.weight", name + ".c_attn.bias", C, 3 * C, Linear.Layout.IN_OUT);
            q = null;
            k = null;
            v = null;
            proj = new Linear(t, name + ".c_proj.weight", name + ".c_proj.bias", C, C, Linear.Layout.IN_OUT);
            float[] buf = new float[rows * 3 * C];
            qv = new View(buf, 3 * C, 0);
            kv = new View(buf, 3 * C, C);
            vv = new View(buf, 3 * C, 2 * C);
            float[] dbuf = decoding ? null : ws.floats("attn.dqkv", rows * 3 * C);
            dq = new View(dbuf, 3 * C, 0);
            dk = new View(dbuf, 3 * C, C);
            dv = new View(dbuf, 3 * C, 2 * C);
        } else {
            qkv = null;
            q = new Linear(t, name + ".q_proj.weight", null, C, C, Linear.Layout.OUT_IN);
            k = new Linear(t, name + ".k_proj.weight", null, C, kvw, Linear.Layout.OUT_IN);
            v = new Linear(t, name + ".v_proj.weight", null, C, kvw, Linear.Layout.OUT_IN);
            proj = new Linear(t, name + ".o_proj.weight", null, C, C, Linear.Layout.OUT_IN);
            qv = new View(new float[rows * C], C, 0);
            kv = new View(new float[rows * kvw], kvw, 0);
            vv = new View(new float[rows * kvw], kvw, 0);
            dq = new View(decoding ? null : ws.floats("attn.dq", rows * C), C, 0);
            dk = new View(decoding ? null : ws.floats("attn.dk", rows * kvw), kvw, 0);
            dv = new View(decoding ? null : ws.floats("attn.dv", rows * kvw), kvw, 0);
        }
        y = new float[rows * C];
        yv = new View(y, C, 0);
        dy = decoding ? null : ws.floats("attn.dy", rows * C);
        att = decoding ? null : new float[B * NH][T * T];
        mask = decoding || this.dropout == null ? null : new float[B * NH][T * T];
        int workers = decoding ? 0 : Math.max(1, Math.min(threads, B * NKV));
        scratch = new Scratch[workers];
        for (int w = 0; w < workers; w++) {
            scratch[w] = ws.object("attn.scratch." + w, () -> new Scratch(T, HS));
        }
        ropeCos = new float[HS / 2];
        ropeSin = new float[HS / 2];
        if (decoding) {
            for (Linear l : new Linear[] {qkv, q, k, v, proj}) {
                if (l != null) {
                    l.useRows();
                }
            }
        }
    }

    /** One worker's per-head operands as arrays indexed from 0, which the JIT vectorizes (NOTES.md). */
    private static final class Scratch {
        final float[] q;   // [T, HS] one head's queries, keys, values, output gradient
        final float[] k;
        final float[] v;
        final float[] dy;
        final float[] y;   // [T, HS] its output, or dq
        final float[] dk;  // [T, HS] summed over the group's query heads
        final float[] dv;
        final float[] a;   // [T, T] weights after dropout
        final float[] s;   // [T, T] da, then ds
        final float[] e;   // [T, T] scratch of the exponential
        final int[] bits;

        Scratch(int t, int hs) {
            q = new float[t * hs];
            k = new float[t * hs];
            v = new float[t * hs];
            dy = new float[t * hs];
            y = new float[t * hs];
            dk = new float[t * hs];
            dv = new float[t * hs];
            a = new float[t * t];
            s = new float[t * t];
            e = new float[t * t];
            bits = new int[t * t];
        }
    }

    /** Runs {@code body(scratch, group)} for every (batch element, kv head) group b·NKV + kh. */
    private void forEachGroup(java.util.function.BiConsumer<Scratch, Integer> body) {
        int groups = B * NKV;
        int workers = scratch.length;
        if (workers == 1) {
            for (int g = 0; g < groups; g++) {
                body.accept(scratch[0], g);
            }
            return;
        }
        IntStream.range(0, workers).parallel().forEach(w -> {
            for (int g = w * groups / workers; g < (w + 1) * groups / workers; g++) {
                body.accept(scratch[w], g);
            }
        });
    }

    /** One head's columns of batch element b's T rows of {@code src} into dst [T, HS]. */
    private void gather(View src, int b, int head, float[] dst) {
        for (int t = 0; t < T; t++) {
            System.arraycopy(src.a(), (b * T + t) * src.width() + src.col() + head * HS, dst, t * HS, HS);
        }
    }

    /** The reverse of {@link #gather}. */
    private void scatter(float[] src, View dst, int b, int head) {
        for (int t = 0; t < T; t++) {
            System.arraycopy(src, t * HS, dst.a(), (b * T + t) * dst.width() + dst.col() + head * HS, HS);
        }
    }

    private void project(float[] x, int n) {
        if (qkv != null) {
            qkv.forward(qv.a(), x, n);
        } else {
            q.forward(qv.a(), x, n);
            k.forward(kv.a(), x, n);
            v.forward(vv.a(), x, n);
        }
    }

    /** out[B·T, C] = attention(x[B·T, C]); {@code train}: with dropout. */
    void forward(float[] out, float[] x, boolean train) {
        int n = B * T;
        project(x, n);
        if (rope != null) {
            rope.apply(qv.a(), n, qv.width(), qv.col(), NH, T, false);
            rope.apply(kv.a(), n, kv.width(), kv.col(), NKV, T, false);
        }
        boolean drop = train && dropout != null;
        float scale = (float) (1.0 / Math.sqrt(HS));
        int group = NH / NKV;
        forEachGroup((sc, g) -> {
            int b = g / NKV;
            int kh = g % NKV;
            gather(kv, b, kh, sc.k);
            gather(vv, b, kh, sc.v);
            for (int h = kh * group; h < (kh + 1) * group; h++) {
                int bh = b * NH + h;
                float[] a = att[bh];
                gather(qv, b, h, sc.q);
                Blas.gemm(false, true, T, T, HS, sc.q, sc.k, 0f, a);            // s = q kᵀ      [T, T]
                FastMath.softmaxRows(a, T, T, true, scale, sc.e, sc.bits);     // att = softmax(s/√hs + mask)
                float[] w = a;
                if (drop) {
                    dropout.fill(mask[bh], T * T, p, site, bh);
                    Dropout.apply(sc.a, a, mask[bh], T * T);
                    w = sc.a;
                }
                Blas.gemm(false, false, T, HS, T, w, sc.v, 0f, sc.y);            // y = a v       [T, HS]
                scatter(sc.y, yv, b, h);
            }
        });
        proj.forward(out, y, n);
    }

    /** dx[B·T, C] = d attention/dx · dout (overwritten), after {@link #forward} with the same {@code train}. */
    void backward(float[] dx, float[] dout, float[] x, boolean train) {
        int n = B * T;
        proj.backward(dy, dout, y, n, false);
        boolean drop = train && dropout != null;
        float scale = (float) (1.0 / Math.sqrt(HS));
        int group = NH / NKV;
        View dyv = new View(dy, C, 0);
        forEachGroup((sc, g) -> {
            int b = g / NKV;
            int kh = g % NKV;
            gather(kv, b, kh, sc.k);
            gather(vv, b, kh, sc.v);
            java.util.Arrays.fill(sc.dk, 0f);
            java.util.Arrays.fill(sc.dv, 0f);
            for (int h = kh * group; h < (kh + 1) * group; h++) {
                int bh = b * NH + h;
                float[] a = att[bh];
                float[] w = a;
                if (drop) {
                    Dropout.apply(sc.a, a, mask[bh], T * T);
                    w = sc.a;
                }
                gather(qv, b, h, sc.q);
                gather(dyv, b, h, sc.dy);
                Blas.gemm(true, false, T, HS, T, w, sc.dy, 1f, sc.dv);          // dv += aᵀ dy    [T, HS]
                Blas.gemm(false, true, T, T, HS, sc.dy, sc.v, 0f, sc.s);         // da = dy vᵀ     [T, T]
                if (drop) {
                    Dropout.apply(sc.s, mask[bh], T * T);
                }
                // softmax backward: ds[t,u] = att[t,u] (da[t,u] − Σ_w att[t,w] da[t,w]) / √hs (0 in the future)
                for (int t = 0; t < T; t++) {
                    int o = t * T;
                    double dot = 0;
                    for (int u = 0; u <= t; u++) {
                        dot += a[o + u] * sc.s[o + u];
                    }
                    float dotf = (float) dot;
                    for (int u = 0; u < T; u++) {
                        sc.s[o + u] = a[o + u] * (sc.s[o + u] - dotf) * scale;
                    }
                }
                Blas.gemm(false, false, T, HS, T, sc.s, sc.k, 0f, sc.y);         // dq = ds k      [T, HS]
                Blas.gemm(true, false, T, HS, T, sc.s, sc.q, 1f, sc.dk);         // dk += dsᵀ q    [T, HS]
                scatter(sc.y, dq, b, h);
            }
            scatter(sc.dk, dk, b, kh);
            scatter(sc.dv, dv, b, kh);
        });
        if (rope != null) {
            rope.apply(dq.a(), n, dq.width(), dq.col(), NH, T, true);
            rope.apply(dk.a(), n, dk.width(), dk.col(), NKV, T, true);
        }
        if (qkv != null) {
            qkv.backward(dx, dq.a(), x, n, false);
        } else {
            q.backward(dx, dq.a(), x, n, false);
            k.backward(dx, dk.a(), x, n, true);
            v.backward(dx, dv.a(), x, n, true);
        }
    }

    /** The dropout masks of the last training forward pass, one [T·T] array per (b, head), or null. */
    float[][] masks() {
        return mask;
    }

    /**
     * Decoding: out[n, C] = attention of the tokens x[n, C], row r at absolute position pos[r] of
     * the sequence whose cache of this layer is caches[r], over its cached positions
     * max(0, pos − T + 1) .. pos. Rows of one sequence come in position order, so each sees the
     * keys of the rows before it. With rotary positions the cache rolls (slot pos mod T, the oldest
     * entry overwritten); without, pos must be below T.
     */
    void step(float[] out, float[] x, int n, int[] pos, KvCache[] caches) {
        project(x, n);
        for (int r = 0; r < n; r++) {
            if (rope != null) {
                rope.table(pos[r], ropeCos, ropeSin);
                rope.rotate(qv.a(), r * qv.width() + qv.col(), NH, ropeCos, ropeSin, false);
                rope.rotate(kv.a(), r * kv.width() + kv.col(), NKV, ropeCos, ropeSin, false);
            } else if (pos[r] >= T) {
                throw new IllegalStateException("position " + pos[r] + " is past the cache of " + T + " positions");
            }
            caches[r].attend(qv.a(), r * qv.width() + qv.col(), kv.a(), r * kv.width() + kv.col(), vv.a(),
                    r * vv.width() + vv.col(), pos[r], y, r * C);
        }
        proj.forward(out, y, n);
    }
}
