package org.autoreg.core.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.autoreg.core.ModelConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link Gpt} forward and backward pass written out by hand (as Karpathy's llm.c), for
 * training speed: activations and gradients in preallocated Java arrays, the large matrix
 * products in OpenBLAS ({@link Blas}), everything else in plain loops. It computes exactly what
 * the SameDiff graph computes — same parameters, names and layouts; tests compare its loss and
 * every gradient with the gradient-checked graph — in a fraction of the time and memory
 * (BENCHMARKS.md). Dropout is not implemented here; the SameDiff graph does it.
 *
 * <p>Not thread-safe. One engine serves one batch shape {@code [batch, seqLen]}.
 */
public final class GptEngine {
    private final ModelConfig cfg;
    private final int B;
    private final int T;
    private final int C;
    private final int NH;
    private final int HS;
    private final int V;
    private final int L;
    private final int N;

    // ---- parameters and their gradients, one array per tensor, in Params order
    private final List<String> names = new ArrayList<>();
    private final List<long[]> shapes = new ArrayList<>();
    private final float[][] params;
    private final float[][] grads;
    private final int wte;
    private final int wpe;          // -1: sinusoidal (constant table)
    private final float[] sinusoid; // [blockSize, C] or null
    private final int lnfW;
    private final int lnfB;         // -1: no bias
    private final int lmHead;       // -1: tied to wte
    private final Layer[] layers;

    /** Indices of one block's tensors (bias indices -1 without bias). */
    private record Layer(int ln1W, int ln1B, int attnW, int attnB, int projW, int projB, int ln2W, int ln2B, int fcW,
            int fcB, int fcProjW, int fcProjB) {
    }

    // ---- activations of the last forward pass
    private final int[] inputs;
    private final int[] targets;
    private final float[] encoded;      // [N, C]
    private final float[][] ln1;        // [L][N, C]
    private final float[][] ln1Mean;    // [L][N]
    private final float[][] ln1Rstd;
    private final float[][] qkv;        // [L][N, 3C]
    private final float[][][] att;      // [L][B·NH][T·T] softmax weights of each head, row t = query t
    private final float[][] atty;       // [L][N, C] attention output, heads side by side
    private final float[][] attProj;    // [L][N, C]
    private final float[][] residual2;  // [L][N, C] x after attention
    private final float[][] ln2;
    private final float[][] ln2Mean;
    private final float[][] ln2Rstd;
    private final float[][] fch;        // [L][N, 4C] before GELU
    private final float[][] fchGelu;    // [L][N, 4C]
    private final float[][] geluGrad;   // [L][N, 4C] GELU'(fch), kept for backward
    private final int[] expBits;        // [N, max(4C, V)] scratch of the exponential
    private final float[][] fcProj;     // [L][N, C]
    private final float[][] residual3;  // [L][N, C] x after the block
    private final float[] lnf;
    private final float[] lnfMean;
    private final float[] lnfRstd;
    private final float[] logits;       // [N, V] raw scores; after forward with targets: probabilities
    private final float[] losses;       // [N]

    // ---- backward scratch
    private final float[] dresidual;    // [N, C]
    private final float[] dnc;          // [N, C]
    private final float[] dnc2;         // [N, C]
    private final float[] dqkv;         // [N, 3C]
    private final float[] dfch;         // [N, 4C]
    private final float[] dlogits;      // [N, V]
    /** Per-worker buffers of the attention loops (heads run in parallel, each worker with its own). */
    private final Scratch[] scratch;
    private final int workers;
    private boolean forwardDone;

    /** An engine for batches of {@code batch × seqLen} tokens, with the parameters of {@code model} copied in. */
    public GptEngine(Gpt model, int batch, int seqLen) {
        this(model, batch, seqLen, threads());
    }

    /**
     * As {@link #GptEngine(Gpt, int, int)} with {@code threads} workers for the attention loops
     * (the results are the same for any count).
     */
    public GptEngine(Gpt model, int batch, int seqLen, int threads) {
        this.cfg = model.config();
        if (cfg.dropout() > 0) {
            throw new IllegalArgumentException("the fast engine does not implement dropout (dropout = " + cfg.dropout()
                    + "); train with the SameDiff engine, or set dropout to 0");
        }
        if (seqLen > cfg.blockSize() || seqLen < 1 || batch < 1) {
            throw new IllegalArgumentException("batch " + batch + " × " + seqLen + " tokens does not fit block size "
                    + cfg.blockSize());
        }
        B = batch;
        T = seqLen;
        C = cfg.nEmbd();
        NH = cfg.nHead();
        HS = C / NH;
        V = cfg.vocabSize();
        L = cfg.nLayer();
        N = B * T;

        Params p = model.params();
        int count = p.names().size();
        params = new float[count][];
        grads = new float[count][];
        for (String name : p.names()) {
            INDArray a = p.get(name);
            names.add(name);
            shapes.add(a.shape());
            params[names.size() - 1] = Params.floats(a);
            grads[names.size() - 1] = new float[params[names.size() - 1].length];
        }
        wte = index(Gpt.WTE);
        wpe = names.indexOf(Gpt.WPE);
        sinusoid = wpe < 0 ? PositionalEncoding.sinusoidalTable(cfg.blockSize(), C).castTo(DataType.FLOAT).data()
                .asFloat() : null;
        lnfW = index("transformer.ln_f.weight");
        lnfB = names.indexOf("transformer.ln_f.bias");
        lmHead = names.indexOf(Gpt.LM_HEAD);
        layers = new Layer[L];
        for (int l = 0; l < L; l++) {
            String h = "transformer.h." + l + ".";
            layers[l] = new Layer(index(h + "ln_1.weight"), names.indexOf(h + "ln_1.bias"),
                    index(h + "attn.c_attn.weight"), names.indexOf(h + "attn.c_attn.bias"),
                    index(h + "attn.c_proj.weight"), names.indexOf(h + "attn.c_proj.bias"),
                    index(h + "ln_2.weight"), names.indexOf(h + "ln_2.bias"),
                    index(h + "mlp.c_fc.weight"), names.indexOf(h + "mlp.c_fc.bias"),
                    index(h + "mlp.c_proj.weight"), names.indexOf(h + "mlp.c_proj.bias"));
        }

        inputs = new int[N];
        targets = new int[N];
        encoded = new float[N * C];
        ln1 = new float[L][N * C];
        ln1Mean = new float[L][N];
        ln1Rstd = new float[L][N];
        qkv = new float[L][N * 3 * C];
        att = new float[L][B * NH][T * T];
        atty = new float[L][N * C];
        attProj = new float[L][N * C];
        residual2 = new float[L][N * C];
        ln2 = new float[L][N * C];
        ln2Mean = new float[L][N];
        ln2Rstd = new float[L][N];
        fch = new float[L][N * 4 * C];
        fchGelu = new float[L][N * 4 * C];
        geluGrad = new float[L][N * 4 * C];
        expBits = new int[N * Math.max(4 * C, V)];
        fcProj = new float[L][N * C];
        residual3 = new float[L][N * C];
        lnf = new float[N * C];
        lnfMean = new float[N];
        lnfRstd = new float[N];
        logits = new float[N * V];
        losses = new float[N];

        dresidual = new float[N * C];
        dnc = new float[N * C];
        dnc2 = new float[N * C];
        dqkv = new float[N * 3 * C];
        dfch = new float[N * 4 * C];
        dlogits = new float[N * V];
        workers = Math.max(1, Math.min(threads, B * NH));
        scratch = new Scratch[workers];
        for (int w = 0; w < workers; w++) {
            scratch[w] = new Scratch(T, HS);
        }
    }

    /**
     * One head's operands as arrays of rows: loops index every row from 0, which lets the JIT
     * vectorize them (with offsets into one flat array it cannot rule out overlap and does not).
     */
    private static final class Scratch {
        final float[] q;     // [T, HS] one head's queries, keys, values, output gradient
        final float[] k;
        final float[] v;
        final float[] dy;
        final float[] y;     // [T, HS] its output, or dq
        final float[] dk;    // [T, HS]
        final float[] dv;    // [T, HS]
        final float[] s;     // [T, T] dA, then dS (backward)
        final float[] e;     // [T, T] scratch of the exponential
        final int[] bits;

        Scratch(int t, int hs) {
            q = new float[t * hs];
            k = new float[t * hs];
            v = new float[t * hs];
            dy = new float[t * hs];
            y = new float[t * hs];
            dk = new float[t * hs];
            dv = new float[t * hs];
            s = new float[t * t];
            e = new float[t * t];
            bits = new int[t * t];
        }
    }

    /**
     * Worker threads for the attention loops: {@code OMP_NUM_THREADS} (the knob BLAS reads too), else
     * the number of cores. Every head is computed by one worker into its own outputs, so the
     * results do not depend on the thread count.
     */
    private static int threads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            return omp != null ? Math.max(1, Integer.parseInt(omp.trim())) : Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** Runs {@code body(worker, head)} for every head (b·NH + h), the heads split among the workers. */
    private void forEachHead(java.util.function.BiConsumer<Scratch, Integer> body) {
        int heads = B * NH;
        if (workers == 1) {
            for (int bh = 0; bh < heads; bh++) {
                body.accept(scratch[0], bh);
            }
            return;
        }
        java.util.stream.IntStream.range(0, workers).parallel().forEach(w -> {
            for (int bh = w * heads / workers; bh < (w + 1) * heads / workers; bh++) {
                body.accept(scratch[w], bh);
            }
        });
    }

    private int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("the model has no parameter " + name);
        }
        return i;
    }

    public ModelConfig config() {
        return cfg;
    }

    public int batch() {
        return B;
    }

    public int seqLen() {
        return T;
    }

    /** Parameter names, in {@link Params} order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** The parameters (live arrays: an optimizer updates them in place). */
    public float[][] params() {
        return params;
    }

    /** The gradients of the last {@link #backward} (live arrays). */
    public float[][] grads() {
        return grads;
    }

    /** Copies the engine's parameters into {@code target} (e.g. before saving a checkpoint). */
    public void copyTo(Params target) {
        for (int i = 0; i < names.size(); i++) {
            INDArray dst = target.get(names.get(i));
            dst.assign(Nd4j.create(params[i], shapes.get(i), 'c').castTo(dst.dataType()));
        }
    }

    /** Copies {@code source} (same names and shapes) into the engine. */
    public void copyFrom(Params source) {
        for (int i = 0; i < names.size(); i++) {
            float[] v2 = Params.floats(source.get(names.get(i)));
            System.arraycopy(v2, 0, params[i], 0, params[i].length);
        }
    }

    /** The gradients as arrays keyed by parameter name (for tests and tools). */
    public Map<String, INDArray> gradientArrays() {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), Nd4j.create(grads[i], shapes.get(i), 'c'));
        }
        return out;
    }

    // ================================================================== forward

    /** Forward pass: returns the mean cross-entropy of predicting {@code y} from {@code x}. */
    public double forward(int[][] x, int[][] y) {
        flatten(y, targets);
        forwardToLogits(x);
        double loss = softmaxCrossEntropy();
        forwardDone = true;
        return loss;
    }

    /**
     * Forward pass without a loss: the raw logits (scores before softmax) of every vocabulary
     * entry at position {@code t} of sequence {@code b}, as a new array. Attention is causal, so
     * positions after {@code t} may hold anything (padding).
     */
    public float[] logits(int[][] x, int b, int t) {
        forwardToLogits(x);
        forwardDone = false; // no targets: backward() is not possible after this pass
        float[] out = new float[V];
        System.arraycopy(logits, (b * T + t) * V, out, 0, V);
        return out;
    }

    /** Copies a B × T batch of token ids into {@code dst} row after row, checking the shape and every id. */
    private void flatten(int[][] ids, int[] dst) {
        if (ids.length != B || ids[0].length != T) {
            throw new IllegalArgumentException("this engine takes batches of " + B + " × " + T + " tokens");
        }
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int id = ids[b][t];
                if (id < 0 || id >= V) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary 0.." + (V - 1));
                }
                dst[b * T + t] = id;
            }
        }
    }

    /** Runs the network on {@code x}, leaving the raw logits in {@link #logits}. */
    private void forwardToLogits(int[][] x) {
        flatten(x, inputs);
        encode();
        float[] residual = encoded;
        for (int l = 0; l < L; l++) {
            Layer ly = layers[l];
            layerNorm(ln1[l], ln1Mean[l], ln1Rstd[l], residual, params[ly.ln1W], bias(ly.ln1B));
            matmul(qkv[l], ln1[l], params[ly.attnW], bias(ly.attnB), C, 3 * C);
            attention(l);
            matmul(attProj[l], atty[l], params[ly.projW], bias(ly.projB), C, C);
            add(residual2[l], residual, attProj[l]);
            layerNorm(ln2[l], ln2Mean[l], ln2Rstd[l], residual2[l], params[ly.ln2W], bias(ly.ln2B));
            matmul(fch[l], ln2[l], params[ly.fcW], bias(ly.fcB), C, 4 * C);
            gelu(fchGelu[l], geluGrad[l], fch[l], expBits);
            matmul(fcProj[l], fchGelu[l], params[ly.fcProjW], bias(ly.fcProjB), 4 * C, C);
            add(residual3[l], residual2[l], fcProj[l]);
            residual = residual3[l];
        }
        layerNorm(lnf, lnfMean, lnfRstd, residual, params[lnfW], bias(lnfB));
        if (lmHead < 0) {
            Blas.gemm(false, true, N, V, C, lnf, params[wte], 0f, logits);        // lnf · wteᵀ
        } else {
            Blas.gemm(false, false, N, V, C, lnf, params[lmHead], 0f, logits);   // lnf · W
        }
    }

    private float[] bias(int i) {
        return i < 0 ? null : params[i];
    }

    /** x0 = wte[token] + wpe[position] */
    private void encode() {
        float[] te = params[wte];
        float[] pe = wpe >= 0 ? params[wpe] : sinusoid;
        for (int n = 0; n < N; n++) {
            int t = n % T;
            int to = inputs[n] * C;
            int po = t * C;
            int o = n * C;
            for (int c = 0; c < C; c++) {
                encoded[o + c] = te[to + c] + pe[po + c];
            }
        }
    }

    /** out = (x − mean) / sqrt(var + 1e-5) · w + b, row by row; keeps mean and 1/std for backward. */
    private void layerNorm(float[] out, float[] mean, float[] rstd, float[] x, float[] w, float[] b) {
        for (int n = 0; n < N; n++) {
            layerNormRow(out, x, n * C, C, w, b, mean, rstd, n);
        }
    }

    /**
     * LayerNorm of the row {@code x[o, o + c)} into {@code out[o, o + c)} (ε = 1e-5); stores the
     * row's mean and 1/std at {@code mean[n]}, {@code rstd[n]} when those arrays are given.
     */
    static void layerNormRow(float[] out, float[] x, int o, int c, float[] w, float[] b, float[] mean, float[] rstd,
            int n) {
        // sums in four interleaved double accumulators: independent chains the CPU runs in parallel
        double m0 = 0;
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        int i4 = c & ~3;
        for (int i = 0; i < i4; i += 4) {
            m0 += x[o + i];
            m1 += x[o + i + 1];
            m2 += x[o + i + 2];
            m3 += x[o + i + 3];
        }
        for (int i = i4; i < c; i++) {
            m0 += x[o + i];
        }
        double m = ((m0 + m1) + (m2 + m3)) / c;
        double v0 = 0;
        double v1 = 0;
        double v2 = 0;
        double v3 = 0;
        for (int i = 0; i < i4; i += 4) {
            double d0 = x[o + i] - m;
            double d1 = x[o + i + 1] - m;
            double d2 = x[o + i + 2] - m;
            double d3 = x[o + i + 3] - m;
            v0 += d0 * d0;
            v1 += d1 * d1;
            v2 += d2 * d2;
            v3 += d3 * d3;
        }
        for (int i = i4; i < c; i++) {
            double d = x[o + i] - m;
            v0 += d * d;
        }
        double var = ((v0 + v1) + (v2 + v3)) / c;
        float s = (float) (1.0 / Math.sqrt(var + LayerNorm.EPS));
        float mf = (float) m;
        for (int i = 0; i < c; i++) {
            float norm = (x[o + i] - mf) * s;
            out[o + i] = b == null ? norm * w[i] : norm * w[i] + b[i];
        }
        if (mean != null) {
            mean[n] = mf;
            rstd[n] = s;
        }
    }

    /** out[N, oc] = inp[N, ic] · W[ic, oc] (+ bias) */
    private void matmul(float[] out, float[] inp, float[] w, float[] bias, int ic, int oc) {
        if (bias != null) {
            for (int n = 0; n < N; n++) {
                System.arraycopy(bias, 0, out, n * oc, oc);
            }
        }
        Blas.gemm(false, false, N, oc, ic, inp, w, bias == null ? 0f : 1f, out);
    }

    private static void add(float[] out, float[] a, float[] b) {
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /**
     * Causal scaled-dot-product attention of every head: att = softmax(q kᵀ/√hs + mask), y = att v;
     * the two products through OpenBLAS, the masked softmax in one array pass. (The triangular
     * product, strmm, halves the work of y = att v but ran slower on 2 threads: BENCHMARKS.md.)
     */
    private void attention(int l) {
        float[] qkvL = qkv[l];
        float[][] attL = att[l];
        float[] out = atty[l];
        float scale = (float) (1.0 / Math.sqrt(HS));
        forEachHead((sc, bh) -> {
            int b = bh / NH;
            int h = bh % NH;
            gather(qkvL, 3 * C, b, h * HS, sc.q);
            gather(qkvL, 3 * C, b, C + h * HS, sc.k);
            gather(qkvL, 3 * C, b, 2 * C + h * HS, sc.v);
            float[] a = attL[bh];
            Blas.gemm(false, true, T, T, HS, sc.q, sc.k, 0f, a);                  // s = q kᵀ        [T, T]
            FastMath.softmaxRows(a, T, T, true, scale, sc.e, sc.bits);           // att = softmax(s/√hs + mask)
            Blas.gemm(false, false, T, HS, T, a, sc.v, 0f, sc.y);                 // y = att v       [T, HS]
            scatter(sc.y, out, C, b, h * HS);
        });
    }

    /** One head's columns {@code [col, col + HS)} of batch element {@code b}'s rows of {@code src} (rows of {@code width}) into dst [T, HS]. */
    private void gather(float[] src, int width, int b, int col, float[] dst) {
        for (int t = 0; t < T; t++) {
            System.arraycopy(src, (b * T + t) * width + col, dst, t * HS, HS);
        }
    }

    /** The reverse of {@link #gather}: src [T, HS] into columns {@code [col, col + HS)} of batch element {@code b}. */
    private void scatter(float[] src, float[] dst, int width, int b, int col) {
        for (int t = 0; t < T; t++) {
            System.arraycopy(src, t * HS, dst, (b * T + t) * width + col, HS);
        }
    }

    /**
     * Exact GELU, x Φ(x) = ½ x (1 + erf(x/√2)), and its derivative Φ(x) + x φ(x), from one
     * exponential per element (erf by Abramowitz &amp; Stegun 7.1.26, absolute error ≤ 1.5e-7).
     */
    static void gelu(float[] out, float[] grad, float[] x, int[] bits) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            float z = Math.abs(x[i]) * 0.70710678f;                       // |x| / √2
            out[i] = -z * z;
        }
        FastMath.exp(out, out, grad, bits, n);                             // exp(−x²/2), in SIMD passes
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float z = Math.abs(xi) * 0.70710678f;
            float t = 1f / (1f + 0.3275911f * z);
            float e = out[i];
            float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f
                    + t * 1.061405429f))));
            float erfAbs = 1f - poly * e;
            float sign = xi / (Math.abs(xi) + 1e-30f);                     // ±1 without a branch (keeps SIMD)
            float cdf = 0.5f * (1f + erfAbs * sign);                       // Φ(x)
            out[i] = xi * cdf;
            grad[i] = cdf + xi * e * 0.39894228f;                         // Φ(x) + x φ(x)
        }
    }

    /** Softmax of the logits (in place, becoming probabilities) and the mean −log p(target). */
    private double softmaxCrossEntropy() {
        FastMath.softmaxRows(logits, N, V, false, 1f, dlogits, expBits);    // dlogits: scratch until backward
        double total = 0;
        for (int n = 0; n < N; n++) {
            int o = n * V;
            double p = logits[o + targets[n]];
            losses[n] = (float) -Math.log(Math.max(p, Double.MIN_NORMAL));
            total += -Math.log(Math.max(p, Double.MIN_NORMAL));
        }
        return total / N;
    }

    // ================================================================== backward

    /** Sets every gradient to 0. */
    public void zeroGrad() {
        for (float[] g : grads) {
            java.util.Arrays.fill(g, 0f);
        }
    }

    /**
     * Backward pass of the last {@link #forward}: adds the gradient of the mean loss to
     * {@link #grads} (call {@link #zeroGrad} first unless accumulating).
     */
    public void backward() {
        if (!forwardDone) {
            throw new IllegalStateException("backward() needs a forward() first");
        }
        // d mean(−log p_target)/d logits = (p − onehot) / N
        float invN = 1f / N;
        for (int n = 0; n < N; n++) {
            int o = n * V;
            for (int i = 0; i < V; i++) {
                dlogits[o + i] = logits[o + i] * invN;
            }
            dlogits[o + targets[n]] -= invN;
        }
        float[] lastResidual = L > 0 ? residual3[L - 1] : encoded;
        if (lmHead < 0) {
            Blas.gemm(false, false, N, C, V, dlogits, params[wte], 0f, dnc);      // dlnf = dlogits · wte
            Blas.gemm(true, false, V, C, N, dlogits, lnf, 1f, grads[wte]);         // dwte += dlogitsᵀ · lnf
        } else {
            Blas.gemm(false, true, N, C, V, dlogits, params[lmHead], 0f, dnc);    // dlnf = dlogits · Wᵀ
            Blas.gemm(true, false, C, V, N, lnf, dlogits, 1f, grads[lmHead]);      // dW += lnfᵀ · dlogits
        }
        java.util.Arrays.fill(dresidual, 0f);
        layerNormBackward(dresidual, grads[lnfW], lnfB < 0 ? null : grads[lnfB], dnc, lastResidual, lnfMean, lnfRstd,
                params[lnfW]);
        for (int l = L - 1; l >= 0; l--) {
            Layer ly = layers[l];
            float[] residual = l == 0 ? encoded : residual3[l - 1];
            // MLP branch: residual3 = residual2 + c_proj(gelu(c_fc(ln_2(residual2))))
            matmulBackward(dfch, grads[ly.fcProjW], ly.fcProjB < 0 ? null : grads[ly.fcProjB], dresidual, fchGelu[l],
                    params[ly.fcProjW], 4 * C, C);                                  // dfch := d gelu output
            float[] gg = geluGrad[l];
            for (int i = 0; i < dfch.length; i++) {
                dfch[i] *= gg[i];
            }
            matmulBackward(dnc, grads[ly.fcW], ly.fcB < 0 ? null : grads[ly.fcB], dfch, ln2[l], params[ly.fcW], C,
                    4 * C);
            layerNormBackward(dresidual, grads[ly.ln2W], ly.ln2B < 0 ? null : grads[ly.ln2B], dnc, residual2[l],
                    ln2Mean[l], ln2Rstd[l], params[ly.ln2W]);
            // attention branch: residual2 = residual + c_proj(attention(c_attn(ln_1(residual))))
            matmulBackward(dnc2, grads[ly.projW], ly.projB < 0 ? null : grads[ly.projB], dresidual, atty[l],
                    params[ly.projW], C, C);
            attentionBackward(l, dnc2);
            matmulBackward(dnc, grads[ly.attnW], ly.attnB < 0 ? null : grads[ly.attnB], dqkv, ln1[l],
                    params[ly.attnW], C, 3 * C);
            layerNormBackward(dresidual, grads[ly.ln1W], ly.ln1B < 0 ? null : grads[ly.ln1B], dnc, residual,
                    ln1Mean[l], ln1Rstd[l], params[ly.ln1W]);
        }
        // encoder: x0 = wte[token] + wpe[position]
        float[] dte = grads[wte];
        float[] dpe = wpe >= 0 ? grads[wpe] : null;
        for (int n = 0; n < N; n++) {
            int o = n * C;
            int to = inputs[n] * C;
            int po = (n % T) * C;
            for (int c = 0; c < C; c++) {
                dte[to + c] += dresidual[o + c];
                if (dpe != null) {
                    dpe[po + c] += dresidual[o + c];
                }
            }
        }
    }

    /** Forward, zeroGrad, backward: the loss, with fresh gradients in {@link #grads}. */
    public double step(int[][] x, int[][] y) {
        double loss = forward(x, y);
        zeroGrad();
        backward();
        return loss;
    }

    /**
     * For out = inp · W + b: dinp = dout · Wᵀ (overwritten), dW += inpᵀ · dout, db += Σ_rows dout.
     */
    private void matmulBackward(float[] dinp, float[] dw, float[] db, float[] dout, float[] inp, float[] w, int ic,
            int oc) {
        Blas.gemm(false, true, N, ic, oc, dout, w, 0f, dinp);
        Blas.gemm(true, false, ic, oc, N, inp, dout, 1f, dw);
        if (db != null) {
            for (int n = 0; n < N; n++) {
                int o = n * oc;
                for (int i = 0; i < oc; i++) {
                    db[i] += dout[o + i];
                }
            }
        }
    }

    /** Adds the input gradient of LayerNorm to {@code dx}; accumulates dw, db. */
    private void layerNormBackward(float[] dx, float[] dw, float[] db, float[] dout, float[] x, float[] mean,
            float[] rstd, float[] w) {
        for (int n = 0; n < N; n++) {
            int o = n * C;
            float m = mean[n];
            float s = rstd[n];
            double a0 = 0;                                          // Σ dnorm and Σ dnorm·norm, two chains each
            double a1 = 0;
            double b0 = 0;
            double b1 = 0;
            int c2 = C & ~1;
            for (int c = 0; c < c2; c += 2) {
                float norm0 = (x[o + c] - m) * s;
                float norm1 = (x[o + c + 1] - m) * s;
                float dnorm0 = w[c] * dout[o + c];
                float dnorm1 = w[c + 1] * dout[o + c + 1];
                a0 += dnorm0;
                a1 += dnorm1;
                b0 += dnorm0 * norm0;
                b1 += dnorm1 * norm1;
            }
            if (c2 < C) {
                float norm = (x[o + c2] - m) * s;
                float dnorm = w[c2] * dout[o + c2];
                a0 += dnorm;
                b0 += dnorm * norm;
            }
            float a = (float) ((a0 + a1) / C);
            float bb = (float) ((b0 + b1) / C);
            for (int c = 0; c < C; c++) {
                float norm = (x[o + c] - m) * s;
                float dnorm = w[c] * dout[o + c];
                if (db != null) {
                    db[c] += dout[o + c];
                }
                dw[c] += norm * dout[o + c];
                dx[o + c] += (dnorm - a - norm * bb) * s;
            }
        }
    }

    /** dqkv from d(attention output) {@code dOut} of layer {@code l}. */
    private void attentionBackward(int l, float[] dOut) {
        float[] qkvL = qkv[l];
        float[][] attL = att[l];
        float scale = (float) (1.0 / Math.sqrt(HS));
        forEachHead((sc, bh) -> {
            int b = bh / NH;
            int h = bh % NH;
            float[] a = attL[bh];
            gather(qkvL, 3 * C, b, h * HS, sc.q);
            gather(qkvL, 3 * C, b, C + h * HS, sc.k);
            gather(qkvL, 3 * C, b, 2 * C + h * HS, sc.v);
            gather(dOut, C, b, h * HS, sc.dy);
            Blas.gemm(true, false, T, HS, T, a, sc.dy, 0f, sc.dv);                                 // dv = attᵀ dy    [T, HS]
            Blas.gemm(false, true, T, T, HS, sc.dy, sc.v, 0f, sc.s);              // datt = dy vᵀ    [T, T]
            // softmax backward: dscore[t,u] = att[t,u] (datt[t,u] − Σ_w att[t,w] datt[t,w]) / √hs (0 in the future)
            for (int t = 0; t < T; t++) {
                int o = t * T;
                double dot = 0;
                for (int u = 0; u <= t; u++) {
                    dot += a[o + u] * sc.s[o + u];
                }
                float dotf = (float) dot;
                for (int u = 0; u < T; u++) {                                     // the future: a = 0
                    sc.s[o + u] = a[o + u] * (sc.s[o + u] - dotf) * scale;
                }
            }
            Blas.gemm(false, false, T, HS, T, sc.s, sc.k, 0f, sc.y);                              // dq = dscore k   [T, HS]
            Blas.gemm(true, false, T, HS, T, sc.s, sc.q, 0f, sc.dk);                              // dk = dscoreᵀ q  [T, HS]
            scatter(sc.y, dqkv, 3 * C, b, h * HS);
            scatter(sc.dk, dqkv, 3 * C, b, C + h * HS);
            scatter(sc.dv, dqkv, 3 * C, b, 2 * C + h * HS);
        });
    }

    /**
     * The next-token distribution at position {@code t} of sequence {@code b} of the last forward
     * pass (a copy). Attention is causal, so it depends only on tokens 0..t: positions after the
     * real context may hold anything.
     */
    public float[] probabilities(int b, int t) {
        float[] p = new float[V];
        System.arraycopy(logits, (b * T + t) * V, p, 0, V);
        return p;
    }

    /** The per-position losses of the last forward pass. */
    public float[] losses() {
        return losses.clone();
    }
}
