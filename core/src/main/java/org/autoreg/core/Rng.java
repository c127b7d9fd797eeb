package org.autoreg.core;

/**
 * The project's random number generator: SplitMix64 (Steele, Lea, Flood 2014), whose whole
 * state is one {@code long} that can be saved and restored, so a resumed run draws exactly the
 * numbers an uninterrupted run would. Every random choice in autoreg (weight init, batch
 * sampling, dropout masks, sampling tokens) flows from an explicitly seeded {@code Rng}.
 * Not thread-safe: one per consumer.
 */
public final class Rng {
    private long state;
    /** A Gaussian drawn in a pair with the previous one, or NaN. Part of the state. */
    private double spare = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    private Rng(long state, double spare) {
        this.state = state;
        this.spare = spare;
    }

    /** The full state, for {@link #restore}. */
    public long[] state() {
        return new long[] {state, Double.doubleToRawLongBits(spare)};
    }

    /** A generator continuing exactly where the one that gave {@code saved} was. */
    public static Rng restore(long[] saved) {
        if (saved == null || saved.length != 2) {
            throw new IllegalArgumentException("an Rng state is two longs, got " + java.util.Arrays.toString(saved));
        }
        return new Rng(saved[0], Double.longBitsToDouble(saved[1]));
    }

    /** An independent generator derived from this one's next output. */
    public Rng split() {
        return new Rng(nextLong() ^ 0x5DEECE66DL);
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Uniform in [0, bound) for long bounds, unbiased. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = bound - 1;
        long r = nextLong() >>> 1;
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // rejection: retry
        }
        return r;
    }

    /** Standard normal (Marsaglia's polar method). */
    public double nextGaussian() {
        if (!Double.isNaN(spare)) {
            double s = spare;
            spare = Double.NaN;
            return s;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * f;
        return u * f;
    }
}
