package io.finegrained.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto utilities over objective vectors in which smaller is always better (turn values with
 * {@link Objective#minimised(double)} first): dominance, non-dominated sorting and crowding
 * distance as in Deb et al., "A fast and elitist multiobjective genetic algorithm: NSGA-II"
 * (IEEE TEVC 2002), and the two-objective hypervolume. Pure functions, no state.
 */
public final class Pareto {
    private Pareto() {
    }

    /** True when {@code a} is no worse than {@code b} in every objective and better in one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            if (a[i] < b[i]) {
                better = true;
            }
        }
        return better;
    }

    /**
     * The non-domination rank of each point: 0 for the points no other point dominates, 1 for
     * those dominated only by rank-0 points, and so on (Deb's fast non-dominated sort).
     */
    public static int[] rank(List<double[]> points) {
        int n = points.size();
        int[] rank = new int[n];
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dominates.add(new ArrayList<>());
        }
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (dominates(points.get(i), points.get(j))) {
                    dominates.get(i).add(j);
                    dominatedBy[j]++;
                } else if (dominates(points.get(j), points.get(i))) {
                    dominates.get(j).add(i);
                    dominatedBy[i]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (dominatedBy[i] == 0) {
                current.add(i);
            }
        }
        int level = 0;
        while (!current.isEmpty()) {
            List<Integer> next = new ArrayList<>();
            for (int i : current) {
                rank[i] = level;
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) {
                        next.add(j);
                    }
                }
            }
            current = next;
            level++;
        }
        return rank;
    }

    /**
     * Crowding distance of each point of one front: the sum over objectives of the gap between
     * its two neighbours, normalised by the front's extent in that objective. The extreme
     * points of every objective get {@link Double#POSITIVE_INFINITY} so they are always kept.
     * Ties are broken by position in the list, so the result is deterministic.
     */
    public static double[] crowdingDistance(List<double[]> front) {
        int n = front.size();
        double[] distance = new double[n];
        if (n == 0) {
            return distance;
        }
        int m = front.get(0).length;
        Integer[] order = new Integer[n];
        for (int k = 0; k < m; k++) {
            final int objective = k;
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> front.get(i)[objective]).thenComparingInt(i -> i));
            double lo = front.get(order[0])[k];
            double hi = front.get(order[n - 1])[k];
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[n - 1]] = Double.POSITIVE_INFINITY;
            if (hi == lo) {
                continue;
            }
            for (int i = 1; i < n - 1; i++) {
                distance[order[i]] += (front.get(order[i + 1])[k] - front.get(order[i - 1])[k]) / (hi - lo);
            }
        }
        return distance;
    }

    /**
     * The objective vector of a trial with every objective turned to "smaller is better", or
     * null when the trial cannot be compared: failed, or an objective missing, NaN or infinite.
     */
    public static double[] minimised(TrialResult result, List<Objective> objectives) {
        if (!result.isOk()) {
            return null;
        }
        double[] v = new double[objectives.size()];
        for (int i = 0; i < v.length; i++) {
            Double value = result.metrics().get(objectives.get(i).metric());
            if (value == null || value.isNaN() || value.isInfinite()) {
                return null;
            }
            v[i] = objectives.get(i).minimised(value);
        }
        return v;
    }

    /**
     * The trials no other trial dominates, in their given order. Failed trials and trials with a
     * missing or NaN objective never enter. With one objective: every trial sharing the best value.
     */
    public static List<TrialResult> front(List<TrialResult> results, List<Objective> objectives) {
        List<TrialResult> usable = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (TrialResult r : results) {
            double[] v = minimised(r, objectives);
            if (v != null) {
                usable.add(r);
                points.add(v);
            }
        }
        int[] rank = rank(points);
        List<TrialResult> out = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            if (rank[i] == 0) {
                out.add(usable.get(i));
            }
        }
        return out;
    }

    /**
     * The area dominated by the points and bounded by the reference point, two objectives, both
     * minimised. Points not strictly better than the reference in both objectives add nothing.
     */
    public static double hypervolume2d(List<double[]> points, double[] reference) {
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) {
            if (p.length != 2) {
                throw new IllegalArgumentException("hypervolume2d needs two objectives, got " + p.length);
            }
            if (p[0] < reference[0] && p[1] < reference[1]) {
                inside.add(p);
            }
        }
        inside.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        double volume = 0;
        double bestSecond = reference[1];
        for (double[] p : inside) {
            if (p[1] < bestSecond) {
                // The slab from this point's first objective to the reference, between the best
                // second objective so far and this point's.
                volume += (reference[0] - p[0]) * (bestSecond - p[1]);
                bestSecond = p[1];
            }
        }
        return volume;
    }
}
