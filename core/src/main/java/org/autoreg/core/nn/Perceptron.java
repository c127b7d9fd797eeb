package org.autoreg.core.nn;

import org.autoreg.core.Rng;

/**
 * Rosenblatt's perceptron: a weighted sum and a step, {@code ŷ = 1 if w·x + b > 0 else 0}, trained
 * by the perceptron rule {@code w += lr (y − ŷ) x}, {@code b += lr (y − ŷ)}. It learns any
 * linearly separable labelling (AND, OR) and can never learn one that is not (XOR): no line
 * separates XOR's ones from its zeros. Plain Java: there is no gradient to take through a step.
 */
public final class Perceptron {
    private final double[] w;
    private double b;

    /** Weights drawn uniformly from [-0.5, 0.5] with {@code seed}. */
    public Perceptron(int nInputs, long seed) {
        Rng rng = new Rng(seed);
        w = new double[nInputs];
        for (int i = 0; i < nInputs; i++) {
            w[i] = rng.nextDouble() - 0.5;
        }
        b = rng.nextDouble() - 0.5;
    }

    /** The step of the weighted sum: 1 or 0. */
    public int predict(double[] x) {
        double s = b;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
        }
        return s > 0 ? 1 : 0;
    }

    /**
     * Runs the perceptron rule over the examples for at most {@code epochs} passes, stopping early
     * once a pass makes no mistake. Returns the number of mistakes in each pass made.
     */
    public int[] train(double[][] xs, int[] ys, int epochs, double lr) {
        int[] mistakes = new int[epochs];
        for (int e = 0; e < epochs; e++) {
            for (int n = 0; n < xs.length; n++) {
                int err = ys[n] - predict(xs[n]);
                if (err != 0) {
                    mistakes[e]++;
                    for (int i = 0; i < w.length; i++) {
                        w[i] += lr * err * xs[n][i];
                    }
                    b += lr * err;
                }
            }
            if (mistakes[e] == 0) {
                return java.util.Arrays.copyOf(mistakes, e + 1);
            }
        }
        return mistakes;
    }

    /** Share of examples predicted right. */
    public double accuracy(double[][] xs, int[] ys) {
        int ok = 0;
        for (int n = 0; n < xs.length; n++) {
            ok += predict(xs[n]) == ys[n] ? 1 : 0;
        }
        return (double) ok / xs.length;
    }

    public double[] weights() {
        return w.clone();
    }

    public double bias() {
        return b;
    }
}
