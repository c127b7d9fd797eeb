package org.autoreg.train;

import java.util.List;

/**
 * AdamW (Loshchilov &amp; Hutter 2019) exactly as PyTorch's {@code torch.optim.AdamW}: decoupled
 * weight decay {@code p ← p (1 − lr·wd)} on the tensors that decay, then the bias-corrected
 * Adam step. State: the step count and the two moment estimates per tensor, all saved in
 * checkpoints for exact resume.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean[] decays;
    private final float[][] m;
    private final float[][] v;
    private long t;

    /**
     * @param shapes    tensor lengths, in parameter order
     * @param decays    which tensors take weight decay
     */
    public AdamW(int[] shapes, boolean[] decays, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decays = decays.clone();
        this.m = new float[shapes.length][];
        this.v = new float[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            m[i] = new float[shapes[i]];
            v[i] = new float[shapes[i]];
        }
    }

    /**
     * Which tensors decay: matrices (2-D weights), but not biases and LayerNorm gains (1-D), and
     * not the embedding tables unless {@code decayEmbeddings}.
     */
    public static boolean[] decayMask(List<String> names, List<long[]> shapes, boolean decayEmbeddings) {
        boolean[] d = new boolean[names.size()];
        for (int i = 0; i < d.length; i++) {
            boolean embedding = names.get(i).endsWith("wte.weight") || names.get(i).endsWith("wpe.weight");
            d[i] = shapes.get(i).length >= 2 && (decayEmbeddings || !embedding);
        }
        return d;
    }

    /** One step over {@code params} with gradients {@code grads} at learning rate {@code lr}. */
    public void step(float[][] params, float[][] grads, double lr) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float e = (float) eps;
        for (int i = 0; i < params.length; i++) {
            float[] p = params[i];
            float[] g = grads[i];
            float[] mi = m[i];
            float[] vi = v[i];
            float decay = decays[i] ? (float) (1 - lr * weightDecay) : 1f;
            for (int k = 0; k < p.length; k++) {
                float gk = g[k];
                mi[k] = b1 * mi[k] + oneMinusB1 * gk;
                vi[k] = b2 * vi[k] + oneMinusB2 * gk * gk;
                float denom = (float) Math.sqrt(vi[k]) / bc2Sqrt + e;
                p[k] = p[k] * decay - stepSize * mi[k] / denom;
            }
        }
    }

    /**
     * Scales {@code grads} so that their global L2 norm is at most {@code maxNorm} (PyTorch's
     * clip_grad_norm_); returns the norm before clipping.
     */
    public static double clipGlobalNorm(float[][] grads, double maxNorm) {
        double sq = 0;
        for (float[] g : grads) {
            for (float x : g) {
                sq += (double) x * x;
            }
        }
        double norm = Math.sqrt(sq);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (float[] g : grads) {
                for (int k = 0; k < g.length; k++) {
                    g[k] *= scale;
                }
            }
        }
        return norm;
    }

    public long steps() {
        return t;
    }

    public float[][] firstMoments() {
        return m;
    }

    public float[][] secondMoments() {
        return v;
    }

    /** Restores the state saved from {@link #steps}, {@link #firstMoments}, {@link #secondMoments}. */
    public void restore(long steps, float[][] first, float[][] second) {
        if (first.length != m.length || second.length != v.length) {
            throw new IllegalArgumentException("optimizer state holds " + first.length + " tensors, the model "
                    + m.length);
        }
        for (int i = 0; i < m.length; i++) {
            if (first[i].length != m[i].length || second[i].length != v[i].length) {
                throw new IllegalArgumentException("optimizer state tensor " + i + " has the wrong size");
            }
            System.arraycopy(first[i], 0, m[i], 0, m[i].length);
            System.arraycopy(second[i], 0, v[i], 0, v[i].length);
        }
        this.t = steps;
    }
}
