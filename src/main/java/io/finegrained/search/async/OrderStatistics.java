package io.finegrained.search.async;

import java.util.Arrays;

/**
 * A multiset of doubles that answers "how many are smaller than v" in O(log n) and inserts in
 * O(log n): a treap (a binary search tree kept balanced by random priorities) with subtree sizes,
 * held in arrays so 100,000 values are a few megabytes and no objects. A rung's history for one
 * objective lives here: Syne Tune re-sorts it on every result, this never does. Priorities come
 * from a fixed hash of the insertion count, so the shape (and the cost) is the same every run;
 * the answers do not depend on the shape at all.
 */
final class OrderStatistics {
    private double[] key = new double[16];
    private int[] left = new int[16];
    private int[] right = new int[16];
    private int[] size = new int[16];
    private long[] priority = new long[16];
    private int count;
    private int root = -1;
    /** Nodes visited by all operations so far: what the structural tests check instead of timing. */
    private long visits;

    /** The number of values held. */
    int size() {
        return count;
    }

    /** Nodes visited so far, over all inserts and queries. */
    long visits() {
        return visits;
    }

    /** How many held values are strictly smaller than {@code v}. */
    int countLess(double v) {
        int n = root;
        int less = 0;
        while (n >= 0) {
            visits++;
            if (key[n] < v) {
                less += 1 + sizeOf(left[n]);
                n = right[n];
            } else {
                n = left[n];
            }
        }
        return less;
    }

    /** Adds a value (duplicates kept). */
    void add(double v) {
        if (count == key.length) {
            int grown = count * 2;
            key = Arrays.copyOf(key, grown);
            left = Arrays.copyOf(left, grown);
            right = Arrays.copyOf(right, grown);
            size = Arrays.copyOf(size, grown);
            priority = Arrays.copyOf(priority, grown);
        }
        int node = count++;
        key[node] = v;
        left[node] = -1;
        right[node] = -1;
        size[node] = 1;
        priority[node] = mix(node);
        root = insert(root, node);
    }

    private int insert(int n, int node) {
        if (n < 0) {
            return node;
        }
        visits++;
        size[n]++;
        if (key[node] < key[n]) {
            left[n] = insert(left[n], node);
            if (priority[left[n]] > priority[n]) {
                n = rotateRight(n);
            }
        } else {
            right[n] = insert(right[n], node);
            if (priority[right[n]] > priority[n]) {
                n = rotateLeft(n);
            }
        }
        return n;
    }

    private int rotateRight(int n) {
        int l = left[n];
        left[n] = right[l];
        right[l] = n;
        size[l] = size[n];
        size[n] = 1 + sizeOf(left[n]) + sizeOf(right[n]);
        return l;
    }

    private int rotateLeft(int n) {
        int r = right[n];
        right[n] = left[r];
        left[r] = n;
        size[r] = size[n];
        size[n] = 1 + sizeOf(left[n]) + sizeOf(right[n]);
        return r;
    }

    private int sizeOf(int n) {
        return n < 0 ? 0 : size[n];
    }

    /** The height of the tree (tests: logarithmic, not linear, in the number of values). */
    int height() {
        return height(root);
    }

    private int height(int n) {
        return n < 0 ? 0 : 1 + Math.max(height(left[n]), height(right[n]));
    }

    private static long mix(long x) {
        long z = x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
