package org.autoreg.train;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress on the console: a progress bar with loss, tokens/s and ETA on a terminal,
 * plain log lines otherwise (CI logs, pipes), and a line per evaluation in both cases.
 */
public interface Progress extends AutoCloseable {
    void step(int iter, double loss, double tokensPerS);

    void eval(int iter, double trainLoss, double valLoss);

    @Override
    void close();

    /** Makes the progress display of a run. */
    interface Factory {
        Progress create(int maxIters, int startIter);
    }

    /** Nothing shown (tests). */
    static Factory silent() {
        return (max, start) -> new Progress() {
            @Override
            public void step(int iter, double loss, double tokensPerS) {
            }

            @Override
            public void eval(int iter, double trainLoss, double valLoss) {
            }

            @Override
            public void close() {
            }
        };
    }

    /** A bar on {@code err} if {@code terminal}, else a line every {@code logInterval} steps. */
    static Factory console(PrintStream err, boolean terminal, int logInterval) {
        return (max, start) -> terminal ? new Bar(err, max, start) : new Lines(err, max, start, logInterval);
    }

    /** me.tongfei's progress bar. */
    final class Bar implements Progress {
        private final ProgressBar bar;
        private final PrintStream err;

        Bar(PrintStream err, int max, int start) {
            this.err = err;
            this.bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(max).startsFrom(start, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(300).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }

        @Override
        public void step(int iter, double loss, double tokensPerS) {
            bar.stepTo(iter);
            bar.setExtraMessage(String.format(" | loss %.4f | %,.0f tok/s", loss, tokensPerS));
        }

        @Override
        public void eval(int iter, double trainLoss, double valLoss) {
            err.printf("\r%-100s\r%n", String.format("iter %d: train loss %.4f, val loss %.4f", iter, trainLoss, valLoss));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Plain lines with an ETA. */
    final class Lines implements Progress {
        private final PrintStream err;
        private final int max;
        private final int start;
        private final int every;
        private final long t0 = System.nanoTime();

        Lines(PrintStream err, int max, int start, int every) {
            this.err = err;
            this.max = max;
            this.start = start;
            this.every = every;
        }

        @Override
        public void step(int iter, double loss, double tokensPerS) {
            if (iter % every != 0 && iter != max) {
                return;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double eta = iter > start ? secs / (iter - start) * (max - iter) : 0;
            err.printf("iter %d/%d: loss %.4f, %,.0f tok/s, eta %s%n", iter, max, loss, tokensPerS, duration(eta));
        }

        @Override
        public void eval(int iter, double trainLoss, double valLoss) {
            err.printf("iter %d: train loss %.4f, val loss %.4f%n", iter, trainLoss, valLoss);
        }

        @Override
        public void close() {
        }

        private static String duration(double s) {
            long t = Math.round(s);
            return t >= 3600 ? String.format("%dh%02dm", t / 3600, t % 3600 / 60) : String.format("%dm%02ds", t / 60, t % 60);
        }
    }
}
