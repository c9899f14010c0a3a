package io.finegrained.search;

import io.finegrained.search.genes.Permutations;
import java.util.random.RandomGenerator;

/**
 * The one source of randomness of an algorithm: SplitMix64, written out here so that a seed gives
 * the same numbers on every JVM and Java version (a resumed run may start on another machine).
 * Not thread-safe; an algorithm owns one and uses it on the driver thread only.
 *
 * <p>It is a {@link RandomGenerator} so that the genes' operators need no search class; they call
 * only the methods written out here (never the interface's own defaults, which a JDK may change).
 */
public final class Rng implements RandomGenerator {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    @Override
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 bits. */
    @Override
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias. */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) nextLong(bound);
    }

    /** Uniform in [0, bound), without modulo bias. */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        while (true) {
            long r = nextLong() >>> 1;
            if (r < limit) {
                return r % bound;
            }
        }
    }

    @Override
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        return Permutations.of(this, n);
    }
}
