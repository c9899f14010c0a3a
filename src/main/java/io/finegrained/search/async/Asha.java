package io.finegrained.search.async;

import io.finegrained.search.Decision;
import io.finegrained.search.Proposal;
import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous successive halving (Li et al., "A system for massively parallel hyperparameter
 * tuning", MLSys 2020), stopping variant: a trial first trains to the lowest rung; at each rung it
 * trains on to the next if it is in the top 1/η of the results that rung has seen so far, else it
 * stops there (verdict STOPPED). Nothing waits for a rung to fill: every decision is taken the
 * moment a trial reaches its rung, so no slot idles for a promotion. See {@link Rung} for the
 * ranking (one or several objectives).
 *
 * <p>Why stopping and not ASHA's promotion variant: promotion pauses every trial at its rung and
 * later resumes the best paused one, which needs the checkpoint of every paused trial kept for
 * as long as it might still be promoted, and makes a trial's continuation depend on results that
 * arrive long after it paused; Ray Tune's ASHAScheduler and Syne Tune's default "stopping" type
 * decide at once too. Stopping answers each report at once with continue or stop, which is the
 * {@code Searcher.report} seam, and keeps only running trials' checkpoints alive.
 */
public final class Asha implements Scheduler {
    private final Rungs rungs;
    private final List<Integer> levels;
    private final List<Rung> tables = new ArrayList<>();

    /**
     * @param objectives how many objectives a trial has
     * @param seed seeds the multi-objective rungs' samples
     */
    public Asha(Rungs rungs, int objectives, long seed) {
        this(rungs, 0, objectives, seed);
    }

    /** A bracket that starts at level {@code firstLevel} of the rungs (Hyperband's brackets). */
    Asha(Rungs rungs, int firstLevel, int objectives, long seed) {
        this.rungs = rungs;
        List<Integer> all = rungs.levels();
        this.levels = List.copyOf(all.subList(firstLevel, all.size()));
        for (int k = 0; k < levels.size() - 1; k++) {
            tables.add(new Rung(levels.get(k), rungs.eta(), objectives, seed * 1_000_003L + 31L * (firstLevel + 1) + k));
        }
    }

    @Override
    public int firstResource(int trial) {
        return levels.size() == 1 ? Proposal.FULL_BUDGET : levels.get(0);
    }

    @Override
    public Decision atRung(int trial, int resource, double[] minimised) {
        int k = levels.indexOf(resource);
        if (k < 0 || k == levels.size() - 1) {
            throw new IllegalArgumentException("trial " + trial + " reported at resource " + resource
                    + ", which is not a rung below the top of " + levels);
        }
        if (!tables.get(k).judge(minimised)) {
            return Decision.stop();
        }
        return Decision.continueTo(k + 1 == levels.size() - 1 ? Proposal.FULL_BUDGET : levels.get(k + 1));
    }

    @Override
    public int maxResource() {
        return rungs.maxResource();
    }

    @Override
    public String name() {
        return "ASHA";
    }

    /** The rungs below the top, lowest first (progress lines, tests). */
    public List<Rung> rungTables() {
        return List.copyOf(tables);
    }

    /** The resources of this bracket, the top included. */
    public List<Integer> levels() {
        return levels;
    }
}
