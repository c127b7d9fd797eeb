package org.autoreg.core;

/**
 * The project's random number generator: SplitMix64 (Steele, Lea, Flood 2014), whose whole
 * state is one {@code long} that can be saved and restored, so a resumed run draws exactly the
 * numbers an uninterrupted run would. Every random choice in autoreg (weight init, batch
 * sampling, dropout masks, sampling tokens) flows from an explicitly seeded {@code Rng}.
 * Not thread-safe: one per consumer.
 */
public final class Rng {
    /** SplitMix64's increment (the golden ratio in 64 bits). */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
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

    /**
     * The seed of the stream called {@code purpose} (and, for per-step streams, {@code index}) of
     * a run seeded with {@code seed}. Consumers that share one run seed — weight init, training
     * batches, evaluation batches, samples — each take their own stream this way, so no two of
     * them draw the same numbers (SplitMix64 generators started from equal or nearby states
     * would). Stable across versions: a run's seed keeps meaning the same draws.
     */
    public static long derive(long seed, String purpose, long... index) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (int i = 0; i < purpose.length(); i++) {
            h = mix(h ^ purpose.charAt(i));
        }
        for (long i : index) {
            h = mix(h ^ i ^ 0x9E3779B97F4A7C15L);
        }
        return h;
    }

    /** SplitMix64's output function (Stafford's mix 13): a bijection that scrambles all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** An independent generator derived from this one's next output. */
    public Rng split() {
        return new Rng(nextLong() ^ 0x5DEECE66DL);
    }

    public long nextLong() {
        return mix(state += GAMMA);
    }

    /**
     * The {@code i}-th {@link #nextLong} (from 0) of a generator made with {@code new Rng(seed)},
     * computed directly: SplitMix64 is counter-based, so draws can be made in any order, in
     * parallel, or in loops without a chain from one draw to the next.
     */
    public static long nth(long seed, long i) {
        return mix(seed + (i + 1) * GAMMA);
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

    /**
     * An index drawn with probability proportional to {@code weights[i]} (numpy's
     * {@code choice(p=...)}); the weights need not sum to 1, and an index of weight 0 is never
     * drawn. Uses one {@link #nextDouble}.
     */
    public int nextWeighted(double[] weights) {
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and non-negative, got " + w);
            }
            total += w;
        }
        if (total == 0) {
            throw new IllegalArgumentException("every weight is 0: nothing can be drawn");
        }
        double u = nextDouble() * total;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                u -= weights[i];
                last = i;
                if (u < 0) {
                    return i;
                }
            }
        }
        return last; // rounding left u ≥ 0: the last index of non-zero weight
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
