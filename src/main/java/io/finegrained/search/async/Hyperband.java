package io.finegrained.search.async;

import io.finegrained.search.Decision;
import java.util.ArrayList;
import java.util.List;

/**
 * Hyperband (Li et al., JMLR 2018) asynchronously: one ASHA bracket per starting rung, bracket b
 * starting at level b of the rungs (bracket 0 the most aggressive, the last training every trial
 * to the full budget). Trials go to brackets in a fixed cycle in which bracket b appears
 * n_b = ⌈B/(B−b) · η^(B−1−b)⌉ times (B brackets), Hyperband's own allotment, so that each bracket
 * spends about the same resource. A cycle, not a random draw: the bracket of a trial follows from
 * its index alone, which a replay reproduces without any state.
 */
public final class Hyperband implements Scheduler {
    private final Rungs rungs;
    private final List<Asha> brackets = new ArrayList<>();
    private final int[] cycle;

    public Hyperband(Rungs rungs, int objectives, long seed) {
        this.rungs = rungs;
        int b = rungs.levels().size();
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < b; k++) {
            brackets.add(new Asha(rungs, k, objectives, seed));
            long n = (long) Math.ceil((double) b / (b - k) * Math.pow(rungs.eta(), b - 1 - k));
            for (long i = 0; i < n; i++) {
                order.add(k);
            }
        }
        cycle = order.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The bracket of a trial. */
    public int bracketOf(int trial) {
        return cycle[Math.floorMod(trial, cycle.length)];
    }

    @Override
    public int firstResource(int trial) {
        return brackets.get(bracketOf(trial)).firstResource(trial);
    }

    @Override
    public Decision atRung(int trial, int resource, double[] minimised) {
        return brackets.get(bracketOf(trial)).atRung(trial, resource, minimised);
    }

    @Override
    public int maxResource() {
        return rungs.maxResource();
    }

    @Override
    public String name() {
        return "Hyperband";
    }

    /** The brackets, most aggressive first. */
    public List<Asha> brackets() {
        return List.copyOf(brackets);
    }
}
