package io.finegrained.search.async;

import io.finegrained.search.Candidate;
import io.finegrained.search.Decision;
import io.finegrained.search.Objective;
import io.finegrained.search.Proposal;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.List;
import java.util.Map;

/**
 * What the asynchronous searchers share: a budget of trials proposed one at a time whenever a
 * slot is free, a verdict told per trial, and an optional multi-fidelity {@link Scheduler} that
 * answers the rung reports. The algorithm proper (what to propose next, what to learn from a
 * verdict) is {@link #next()} and {@link #observe}.
 *
 * <p>Trials are known by their id, which the loop assigns in proposal order from 0 (the
 * {@link AsyncLoop} does; so does a resume, which replays from 0): the k-th proposal is trial k.
 * That is how the scheduler finds a trial's bracket without keeping a map.
 *
 * <p>The batch of a proposal (journaled as {@code generation}) is its index divided by the
 * population: trials 0..P−1 are batch 0, and so on. For a steady-state algorithm it is a clock,
 * not a cohort: trial 2P+3 was proposed after about two populations' worth of trials.
 *
 * <p>Which verdicts the algorithms learn from: OK and STOPPED, with the metrics they reached (a
 * stopped trial's are those of its last rung, usually worse than a full-budget trial's, so it
 * rarely wins a tournament and soon ages or crowds out); FAILED ones never enter a population.
 */
public abstract class SteadyStateSearcher implements Searcher {
    private final String name;
    private final List<Objective> objectives;
    private final int budget;
    private final int batch;
    private final Scheduler scheduler;
    private int proposed;
    private int outstanding;
    private boolean exhausted;

    /**
     * @param batch trials per batch (the population), for the journal's {@code generation}
     * @param scheduler the early-stopping rule, or null to train every trial its whole budget
     */
    protected SteadyStateSearcher(String name, List<Objective> objectives, int budget, int batch, Scheduler scheduler) {
        if (budget < 1 || batch < 1) {
            throw new IllegalArgumentException("budget and batch are at least 1, got " + budget + ", " + batch);
        }
        this.name = name;
        this.objectives = List.copyOf(objectives);
        this.budget = budget;
        this.batch = batch;
        this.scheduler = scheduler;
    }

    /**
     * The next values to try (new, valid, within the constraints), or null when no new candidate
     * is found (the search then ends, as the generational algorithms do).
     */
    protected abstract Map<String, Object> next();

    /** A verdict, once per proposed trial; {@code minimised} is null unless it can be compared. */
    protected abstract void observe(TrialResult result, double[] minimised);

    @Override
    public final Proposal propose() {
        if (proposed >= budget || exhausted) {
            return Proposal.DONE;
        }
        Map<String, Object> values = next();
        if (values == null) {
            // Done for good, not Wait: a Wait must change nothing (a replay does not repeat it),
            // and a failed search for a new candidate has drawn from the random stream.
            exhausted = true;
            return Proposal.DONE;
        }
        int index = proposed++;
        outstanding++;
        return new Proposal.Trial(values, index / batch, scheduler == null ? Proposal.FULL_BUDGET : scheduler.firstResource(index));
    }

    @Override
    public final Decision report(Candidate trial, Map<String, Double> metrics, int resource) {
        if (scheduler == null) {
            return Decision.FULL_BUDGET;
        }
        return scheduler.atRung(trial.id(), resource, minimised(metrics, objectives));
    }

    @Override
    public final void tell(TrialResult result) {
        if (outstanding == 0) {
            throw new IllegalStateException("trial " + result.id() + " was told, and no trial is running");
        }
        outstanding--;
        double[] v = result.status() == TrialStatus.FAILED ? null : minimised(result.metrics(), objectives);
        observe(result, v);
    }

    @Override
    public final int budget() {
        return budget;
    }

    @Override
    public final int plannedBatches() {
        return (budget + batch - 1) / batch;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The objectives, in file order. */
    public final List<Objective> objectives() {
        return objectives;
    }

    /** The early-stopping rule, or null. */
    public final Scheduler scheduler() {
        return scheduler;
    }

    /** Trials proposed so far. */
    public final int proposed() {
        return proposed;
    }

    /** The objectives turned to "smaller is better", or null when one is missing or not finite. */
    public static double[] minimised(Map<String, Double> metrics, List<Objective> objectives) {
        double[] v = new double[objectives.size()];
        for (int i = 0; i < v.length; i++) {
            Double value = metrics.get(objectives.get(i).metric());
            if (value == null || value.isNaN() || value.isInfinite()) {
                return null;
            }
            v[i] = objectives.get(i).minimised(value);
        }
        return v;
    }
}
