package org.autoreg.examples;

import java.util.Arrays;
import org.autoreg.core.nn.Perceptron;

/** 1. A single perceptron learns AND and OR, and cannot learn XOR. */
final class PerceptronExample implements Example {
    static final double[][] X = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

    @Override
    public String name() {
        return "perceptron";
    }

    @Override
    public String summary() {
        return "a perceptron learns AND and OR (100 %) but not XOR: no straight line separates it";
    }

    @Override
    public Result run(Context ctx) {
        Result r = new Result();
        String[] names = {"AND", "OR", "XOR"};
        int[][] targets = {{0, 0, 0, 1}, {0, 1, 1, 1}, {0, 1, 1, 0}};
        for (int i = 0; i < 3; i++) {
            Perceptron p = new Perceptron(2, ctx.seed());
            int[] mistakes = p.train(X, targets[i], 1000, 0.1);
            double acc = p.accuracy(X, targets[i]);
            r.put(names[i], acc);
            ctx.out().printf("%-4s accuracy %5.1f %% after %4d passes; w = %s, b = %.2f%n", names[i], 100 * acc,
                    mistakes.length, Arrays.toString(Arrays.stream(p.weights()).map(w -> Math.round(w * 100) / 100.0)
                            .toArray()), p.bias());
            for (int k = 0; k < 4; k++) {
                ctx.out().printf("     %s -> %d (want %d)%n", Arrays.toString(X[k]), p.predict(X[k]), targets[i][k]);
            }
        }
        ctx.out().println("""

                Why XOR fails: a perceptron answers 1 when w1·x1 + w2·x2 + b > 0, a straight line through the
                plane. XOR wants (0,1) and (1,0) on one side and (0,0), (1,1) on the other; adding the two
                inequalities for each pair gives w1 + w2 + 2b > 0 and w1 + w2 + 2b < 0 at once. No line exists,
                so the learning rule never stops making mistakes (it cycles for all 1000 passes).
                The fix is a hidden layer: see 'autoreg example mlp'.""");
        return r;
    }
}
