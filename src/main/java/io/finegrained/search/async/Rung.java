package io.finegrained.search.async;

import io.finegrained.search.Pareto;
import io.finegrained.search.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * What one rung has seen, and the ASHA question asked of each trial reaching it: is it in the top
 * 1/η of the results this rung has seen so far, itself included? It continues when its position
 * is at most ⌈n/η⌉ among the n results (ties go in its favour); the first trial at a rung
 * continues.
 *
 * <p>One objective: the position is one plus the number of strictly better results, from an
 * {@link OrderStatistics} tree over the whole history: O(log n) per result, exact.
 *
 * <p>Several objectives: the order is NSGA-II's, non-dominated rank and then crowding distance
 * within the front (Deb et al. 2002), static objectives (MACs, params, bit-ops) included as the
 * trial reports them. That order depends on the whole set (a new point changes the fronts of the
 * points it dominates), so an exact answer needs a non-dominated sort of the rung's history per
 * result, which is what made Syne Tune's MOASHA quadratic. Here the question is asked of a
 * bounded, uniform sample of the history ({@value #SAMPLE} results, reservoir sampling with the
 * scheduler's own seed): exact while a rung has seen at most that many results, an unbiased
 * estimate of the 1/η quantile after. The sample's fronts are cached and rebuilt only when the
 * sample changes, which after the first {@value #SAMPLE} results happens with probability
 * {@value #SAMPLE}/n per result; a decision otherwise costs O(sample · objectives) dominance
 * checks, whatever the length of the run.
 */
public final class Rung {
    /** Results of a rung the multi-objective decision is made against. */
    public static final int SAMPLE = 128;

    private final int resource;
    private final int eta;
    private final OrderStatistics single;
    private final List<double[]> sample;
    private final Rng rng;
    private List<List<Integer>> fronts;
    private int seen;
    private int continued;
    private long dominanceChecks;

    /**
     * @param objectives how many objectives a result has
     * @param seed the seed of the reservoir's draws (several objectives only)
     */
    public Rung(int resource, int eta, int objectives, long seed) {
        this.resource = resource;
        this.eta = eta;
        this.single = objectives == 1 ? new OrderStatistics() : null;
        this.sample = objectives == 1 ? null : new ArrayList<>();
        this.rng = new Rng(seed);
    }

    /** The resource of this rung. */
    public int resource() {
        return resource;
    }

    /** Results seen (comparable ones). */
    public int seen() {
        return seen;
    }

    /** How many of them were let through. */
    public int continued() {
        return continued;
    }

    /**
     * Records a result and says whether it is in the top 1/η of what this rung has seen, itself
     * included. A result that cannot be compared (null) is not recorded and never continues.
     */
    public boolean judge(double[] minimised) {
        if (minimised == null) {
            return false;
        }
        boolean go = single != null ? judgeSingle(minimised[0]) : judgeSeveral(minimised);
        seen++;
        continued += go ? 1 : 0;
        return go;
    }

    private boolean judgeSingle(double v) {
        int position = single.countLess(v) + 1;
        boolean go = position <= quota(single.size() + 1);
        single.add(v);
        return go;
    }

    private boolean judgeSeveral(double[] p) {
        if (fronts == null) {
            rebuildFronts();
        }
        int before = 0;
        List<double[]> front = new ArrayList<>();
        for (List<Integer> layer : fronts) {
            boolean dominated = false;
            for (int i : layer) {
                dominanceChecks++;
                if (Pareto.dominates(sample.get(i), p)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                // p's front: this layer without the points p dominates (they fall behind it), plus p.
                for (int i : layer) {
                    dominanceChecks++;
                    if (!Pareto.dominates(p, sample.get(i))) {
                        front.add(sample.get(i));
                    }
                }
                break;
            }
            before += layer.size();
        }
        front.add(p); // last: equal crowding puts it behind no one
        double[] crowding = Pareto.crowdingDistance(front);
        double mine = crowding[front.size() - 1];
        int ahead = 0;
        for (int i = 0; i < front.size() - 1; i++) {
            ahead += crowding[i] > mine ? 1 : 0;
        }
        boolean go = before + ahead + 1 <= quota(sample.size() + 1);
        offer(p);
        return go;
    }

    /** Reservoir sampling (Vitter's algorithm R): every result so far is in the sample with equal chance. */
    private void offer(double[] p) {
        long index = seen; // p's index in the rung's history
        if (sample.size() < SAMPLE) {
            sample.add(p.clone());
            fronts = null;
            return;
        }
        long j = rng.nextLong(index + 1);
        if (j < SAMPLE) {
            sample.set((int) j, p.clone());
            fronts = null;
        }
    }

    private void rebuildFronts() {
        dominanceChecks += (long) sample.size() * sample.size();
        int[] rank = Pareto.rank(sample);
        fronts = new ArrayList<>();
        for (int i = 0; i < rank.length; i++) {
            while (fronts.size() <= rank[i]) {
                fronts.add(new ArrayList<>());
            }
            fronts.get(rank[i]).add(i);
        }
    }

    private int quota(int n) {
        return (n + eta - 1) / eta;
    }

    /**
     * Work done so far, in comparisons: tree nodes visited (one objective) or dominance checks,
     * counting a rebuild of the sample's fronts as sample² (several). Tests check it grows like
     * n log n, not n².
     */
    public long work() {
        return single != null ? single.visits() : dominanceChecks;
    }
}
