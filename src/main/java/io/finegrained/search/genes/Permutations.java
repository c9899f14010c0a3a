package io.finegrained.search.genes;

import java.util.random.RandomGenerator;

/** Random orders, drawn from the generator passed in. */
public final class Permutations {
    private Permutations() {
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates, from the last position down). */
    public static int[] of(RandomGenerator rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
