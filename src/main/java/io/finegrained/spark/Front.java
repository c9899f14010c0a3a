package io.finegrained.spark;

import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The final answer of a run: the OK trials no other OK trial dominates on the objectives (the
 * Pareto front), or for one objective the trial(s) with its best value. Failed trials never
 * enter it. Sorted by the first objective, best first, then by id.
 */
public final class Front {
    private Front() {
    }

    public static List<TrialResult> of(List<TrialResult> results, List<Objective> objectives) {
        List<TrialResult> scored = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (TrialResult r : results) {
            double[] point = point(r, objectives);
            if (point != null) {
                scored.add(r);
                points.add(point);
            }
        }
        List<TrialResult> front = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            boolean dominated = false;
            for (int j = 0; j < scored.size() && !dominated; j++) {
                dominated = j != i && dominates(points.get(j), points.get(i));
            }
            if (!dominated) {
                front.add(scored.get(i));
            }
        }
        Comparator<TrialResult> byFirst = Comparator.comparingDouble(r -> point(r, objectives)[0]);
        front.sort(byFirst.thenComparingInt(TrialResult::id));
        return front;
    }

    /** The trial's objective values turned so smaller is better, or null when it has no score. */
    static double[] point(TrialResult r, List<Objective> objectives) {
        if (!r.isOk()) {
            return null;
        }
        double[] point = new double[objectives.size()];
        for (int k = 0; k < point.length; k++) {
            Double value = r.metrics().get(objectives.get(k).metric());
            if (value == null || value.isNaN() || value.isInfinite()) {
                return null;
            }
            point[k] = objectives.get(k).minimised(value);
        }
        return point;
    }

    private static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            better |= a[i] < b[i];
        }
        return better;
    }
}
