package org.autoreg.train;

/**
 * nanoGPT's learning-rate schedule: linear warm-up to {@code lr} over {@code warmupIters} steps,
 * then cosine decay to {@code minLr} at {@code decayIters}, then {@code minLr}; or constant.
 */
public record LrSchedule(double lr, double minLr, int warmupIters, int decayIters, boolean decay) {

    public static LrSchedule of(TrainConfig c) {
        return new LrSchedule(c.learningRate(), c.minLr(), c.warmupIters(), c.lrDecayIters(), c.decayLr());
    }

    /** The learning rate of step {@code it} (0-based). */
    public double at(int it) {
        if (!decay) {
            return lr;
        }
        if (it < warmupIters) {
            return lr * (it + 1) / (warmupIters + 1);
        }
        if (it > decayIters || decayIters <= warmupIters) {
            return minLr;
        }
        double ratio = (double) (it - warmupIters) / (decayIters - warmupIters);
        return minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (lr - minLr);
    }
}
