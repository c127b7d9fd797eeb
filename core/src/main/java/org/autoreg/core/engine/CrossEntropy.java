package org.autoreg.core.engine;

/**
 * Softmax cross-entropy of predicting targets: {@code loss = mean_r −log softmax(logits[r])[target r]}.
 * <pre>
 * backward: dlogits[r] = (softmax(logits[r]) − onehot(target r)) / n
 * </pre>
 */
final class CrossEntropy {
    private CrossEntropy() {
    }

    /**
     * Turns logits[n, V] into probabilities in place, writes each row's loss to losses[n] and
     * returns the mean. {@code scratch}, {@code bits}: n·V entries.
     */
    static double forward(float[] logits, int[] targets, float[] losses, int n, int V, float[] scratch, int[] bits) {
        FastMath.softmaxRows(logits, n, V, false, 1f, scratch, bits);
        double total = 0;
        for (int r = 0; r < n; r++) {
            double l = -Math.log(Math.max(logits[r * V + targets[r]], Double.MIN_NORMAL));
            losses[r] = (float) l;
            total += l;
        }
        return total / n;
    }

    /** dlogits[n, V] from the probabilities of {@link #forward}. */
    static void backward(float[] dlogits, float[] probs, int[] targets, int n, int V) {
        float invN = 1f / n;
        for (int r = 0; r < n; r++) {
            int o = r * V;
            for (int i = 0; i < V; i++) {
                dlogits[o + i] = probs[o + i] * invN;
            }
            dlogits[o + targets[r]] -= invN;
        }
    }
}
