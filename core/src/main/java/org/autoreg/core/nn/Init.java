package org.autoreg.core.nn;

import org.autoreg.core.Rng;

/** How a parameter is initialized; drawn from the graph's seeded {@link Rng}. */
@FunctionalInterface
public interface Init {
    /** Fills {@code values} (row-major). */
    void fill(double[] values, Rng rng);

    /** N(0, std²), as GPT-2 initializes its weights (std 0.02). */
    static Init normal(double std) {
        return (values, rng) -> {
            for (int i = 0; i < values.length; i++) {
                values[i] = std * rng.nextGaussian();
            }
        };
    }

    /** Uniform in [-bound, bound] (PyTorch's default for nn.Linear uses 1/sqrt(fan_in)). */
    static Init uniform(double bound) {
        return (values, rng) -> {
            for (int i = 0; i < values.length; i++) {
                values[i] = bound * (2 * rng.nextDouble() - 1);
            }
        };
    }

    static Init zeros() {
        return (values, rng) -> java.util.Arrays.fill(values, 0);
    }

    static Init ones() {
        return (values, rng) -> java.util.Arrays.fill(values, 1);
    }
}
