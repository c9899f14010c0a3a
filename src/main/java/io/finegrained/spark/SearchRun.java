package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.Objective;
import io.finegrained.search.Proposal;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The driver loop. Each batch: take the searcher's proposals until it waits for results (a
 * generational searcher proposes one generation), give each candidate the next id, run the
 * candidates that the journal does not already hold, journal each result as it arrives, then
 * tell the searcher the batch's results in id order.
 *
 * <p>Resume is a replay (the {@link Searcher} contract): the searcher is asked again
 * from the start and told the journaled results; a journaled candidate is never run again, and
 * it must be exactly the candidate the algorithm asks again, else the journal belongs to another
 * configuration or version and the run stops. The engine ({@link TrialEvaluator}) is only created
 * when a candidate actually has to run, so resuming a finished run starts no Spark.
 *
 * <p>Failure policy, on the driver: a result is kept once per id (Spark may deliver a retried
 * task's result after all); an OK result with a non-finite objective is recorded as FAILED; an
 * OK result without an objective stops the run (a trial program that does not print what the
 * objectives name would waste the whole budget); more failures in a generation than the
 * threshold stop the run. Each stop leaves the journal consistent and the run resumable.
 */
public final class SearchRun {

    /** The budget as far as it is known, for progress and ETA (0 = unknown). */
    public record Plan(int generations, int trials) {
    }

    /** What a finished run produced. {@code ran} counts the trials run in this session. */
    public record Summary(List<TrialResult> results, List<TrialResult> front, int ran) {
        public Summary {
            results = List.copyOf(results);
            front = List.copyOf(front);
        }
    }

    private final Searcher searcher;
    private final List<Objective> objectives;
    private final RunDirectory directory;
    private final Supplier<TrialEvaluator> evaluatorFactory;
    private final double failureThreshold;
    private final Progress progress;
    private final Consumer<TrialResult> listener;
    private TrialEvaluator evaluator;
    private volatile String stopRequest;
    private Map<String, Integer> refusalsSeen = Map.of();

    public SearchRun(Searcher searcher, List<Objective> objectives, RunDirectory directory,
                     Supplier<TrialEvaluator> evaluatorFactory, double failureThreshold, Progress progress) {
        this(searcher, objectives, directory, evaluatorFactory, failureThreshold, progress, null);
    }

    /** @param listener told each result once it is journaled (on the driver thread), or null */
    public SearchRun(Searcher searcher, List<Objective> objectives, RunDirectory directory,
                     Supplier<TrialEvaluator> evaluatorFactory, double failureThreshold, Progress progress,
                     Consumer<TrialResult> listener) {
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one objective");
        }
        this.searcher = searcher;
        this.objectives = List.copyOf(objectives);
        this.directory = directory;
        this.evaluatorFactory = evaluatorFactory;
        this.failureThreshold = failureThreshold;
        this.progress = progress;
        this.listener = listener;
    }

    /** Asks the run to stop from another thread (Ctrl-C); {@link #run()} then throws {@link RunStoppedException}. */
    public void stop(String why) {
        stopRequest = why;
        TrialEvaluator current = evaluator;
        if (current != null) {
            current.cancel();
        }
    }

    public Summary run() {
        Map<Integer, TrialResult> journaled = new TreeMap<>();
        for (TrialResult r : directory.previousResults()) {
            journaled.putIfAbsent(r.id(), r);
        }
        int replayedCount = journaled.size();
        List<TrialResult> all = new ArrayList<>();
        int nextId = 0;
        int ran = 0;
        while (true) {
            checkStop();
            // Proposals until the searcher waits for results: a generational one proposes its
            // whole generation, so a batch here is one generation.
            List<Candidate> batch = new ArrayList<>();
            Proposal proposal;
            while ((proposal = searcher.propose()) instanceof Proposal.Trial trial) {
                batch.add(new Candidate(nextId++, trial.batch(), trial.values()));
            }
            noteRefusals(batch.isEmpty() ? all.size() : batch.get(0).generation());
            if (batch.isEmpty()) {
                if (proposal instanceof Proposal.Done) {
                    break;
                }
                throw new IllegalStateException(searcher.name() + " waits for results, and no trial is running");
            }
            int generation = batch.get(0).generation();
            List<Candidate> toRun = new ArrayList<>();
            List<TrialResult> results = new ArrayList<>();
            int failedBefore = 0;
            for (Candidate candidate : batch) {
                TrialResult previous = journaled.remove(candidate.id());
                if (previous == null) {
                    toRun.add(candidate);
                } else {
                    TrialResult replay = replay(candidate, previous);
                    results.add(replay);
                    progress.replayed(replay);
                    failedBefore += replay.isOk() ? 0 : 1;
                }
            }
            progress.startGeneration(generation, batch.size(), results.size(), failedBefore);
            if (!toRun.isEmpty()) {
                if (replayedCount > 0) {
                    progress.note("resuming: " + replayedCount + " trials replayed from the journal; "
                            + toRun.size() + " of generation " + (generation + 1) + " to run");
                    replayedCount = 0;
                }
                results.addAll(runGeneration(generation, batch.size(), toRun));
                ran += toRun.size();
            }
            results.sort(Comparator.comparingInt(TrialResult::id));
            all.addAll(results);
            results.forEach(searcher::tell);
        }
        if (all.isEmpty() && !searcher.refusals().isEmpty()) {
            Map<String, Integer> reasons = new TreeMap<>(searcher.refusals());
            Integer repeats = reasons.remove("duplicate");
            throw new RunStoppedException("no candidate was run: every proposal was refused (" + describe(reasons) + ")"
                    + (repeats == null ? "" : ", and " + repeats + " further draws repeated refused candidates")
                    + "; refused candidates are neither trained nor journaled. Loosen the constraints or widen the space"
                    + " (explain CONF shows what the default network measures)", false, null);
        }
        if (!journaled.isEmpty()) {
            throw new RunStoppedException("the journal holds trials the algorithm never asked for (ids "
                    + journaled.keySet() + "): it was written by another configuration or version", true, null);
        }
        return new Summary(all, Front.of(all, objectives), ran);
    }

    /**
     * Says, once per batch, how many proposals the searcher refused since the last batch for being
     * invalid networks or breaking a constraint: they are not trials, so nothing else shows them.
     */
    private void noteRefusals(int generation) {
        Map<String, Integer> now = searcher.refusals();
        Map<String, Integer> fresh = new TreeMap<>();
        for (String reason : List.of("invalid network", "constraint")) {
            int delta = now.getOrDefault(reason, 0) - refusalsSeen.getOrDefault(reason, 0);
            if (delta > 0) {
                fresh.put(reason, delta);
            }
        }
        refusalsSeen = Map.copyOf(now);
        if (!fresh.isEmpty()) {
            int n = fresh.values().stream().mapToInt(Integer::intValue).sum();
            progress.note("generation " + (generation + 1) + ": " + n + " proposal" + (n == 1 ? " was" : "s were")
                    + " refused before training (" + describe(fresh) + "); refused proposals are not trials");
        }
    }

    /** Reasons by count, commonest first: "invalid network 3, constraint 1". */
    static String describe(Map<String, Integer> refusals) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(refusals.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : entries) {
            parts.add(e.getKey() + " " + e.getValue());
        }
        return String.join(", ", parts);
    }

    /** The journaled result, checked against the candidate the algorithm asks again. */
    private TrialResult replay(Candidate candidate, TrialResult journaled) {
        if (journaled.generation() != candidate.generation() || !Values.same(journaled.hyperparameters(), candidate.hyperparameters())) {
            throw new RunStoppedException("cannot resume: trial " + candidate.id() + " in the journal (generation "
                    + journaled.generation() + ", " + journaled.hyperparameters() + ") is not what the algorithm asks again (generation "
                    + candidate.generation() + ", " + candidate.hyperparameters()
                    + "); the journal was written by another configuration or version", true, null);
        }
        // The algorithm's own values (its types), the journal's outcome.
        return journaled.withOutcome(journaled.status(), candidate.hyperparameters(), journaled.metrics(), journaled.error(),
                journaled.seconds());
    }

    private List<TrialResult> runGeneration(int generation, int size, List<Candidate> toRun) {
        if (evaluator == null) {
            evaluator = evaluatorFactory.get();
        }
        Map<Integer, Candidate> pending = new LinkedHashMap<>();
        toRun.forEach(c -> pending.put(c.id(), c));
        Set<Integer> seen = new HashSet<>();
        List<TrialResult> results = new ArrayList<>();
        int[] failures = {0};
        String[] stop = {null};
        boolean[] userError = {false};
        RuntimeException engineFailure = null;
        List<TrialEvaluator.EnvironmentFailure> environment = new ArrayList<>();
        try {
            evaluator.evaluate(toRun, progress.describeGeneration(toRun.size()), new TrialEvaluator.ResultSink() {
                @Override
                public boolean accept(TrialResult arrived) {
                    if (!pending.containsKey(arrived.id()) || !seen.add(arrived.id())) {
                        return true; // a duplicate delivery: kept once
                    }
                    TrialResult result = checked(arrived);
                    if (result == null) {
                        stop[0] = missingObjective(arrived);
                        userError[0] = true;
                        return false;
                    }
                    directory.journal().append(result);
                    results.add(result);
                    progress.finished(result);
                    if (listener != null) {
                        listener.accept(result);
                    }
                    if (!result.isOk() && ++failures[0] > failureThreshold * size) {
                        stop[0] = failures[0] + " of the " + size + " trials of generation " + (generation + 1)
                                + " failed, more than the threshold (trial.failure_threshold = " + failureThreshold
                                + " of a generation); the last reason: " + result.error();
                        return false;
                    }
                    return stopRequest == null;
                }

                @Override
                public boolean environmentFailure(TrialEvaluator.EnvironmentFailure failure) {
                    // Not a verdict: no journal row, so --resume runs the trial again under its id.
                    if (pending.containsKey(failure.candidate().id()) && seen.add(failure.candidate().id())) {
                        environment.add(failure);
                        progress.note(failure.describe());
                    }
                    return stopRequest == null;
                }
            });
        } catch (RuntimeException e) {
            engineFailure = e;
        }
        if (stop[0] != null) {
            throw new RunStoppedException("stopped: " + stop[0] + "\n" + resumeHint(), userError[0], null);
        }
        if (!environment.isEmpty()) {
            TrialEvaluator.EnvironmentFailure last = environment.get(environment.size() - 1);
            throw new RunStoppedException("stopped: " + environment.size() + " trial" + (environment.size() == 1 ? "" : "s")
                    + " of generation " + (generation + 1) + " could not run because of their environment, not their candidate"
                    + " (the last: trial " + last.candidate().id() + " on " + last.executor() + ": " + last.reason()
                    + "); they have no journal row and run again under their ids once the cause is fixed\n" + resumeHint(),
                    false, null);
        }
        checkStop();
        if (engineFailure != null) {
            throw new RunStoppedException("stopped: " + engineFailure.getMessage() + "\n" + resumeHint(), false, engineFailure);
        }
        if (results.size() != toRun.size()) {
            throw new RunStoppedException("stopped: " + (toRun.size() - results.size()) + " trials of generation "
                    + (generation + 1) + " returned no result\n" + resumeHint(), false, null);
        }
        return results;
    }

    private void checkStop() {
        if (stopRequest != null) {
            throw new RunStoppedException("stopped: " + stopRequest + "\n" + resumeHint(), false, null);
        }
    }

    private String resumeHint() {
        return "the journal " + directory.journal().file() + " is consistent; continue with --output "
                + directory.location() + " --resume";
    }

    /**
     * The result to journal: as it came (seconds to the millisecond), or FAILED when an objective is not a finite number;
     * null when an OK result lacks an objective (the run must stop). Other non-finite metrics
     * are dropped: JSON cannot hold them.
     */
    private TrialResult checked(TrialResult arrived) {
        // Seconds as the journal keeps them (ms), so a fresh run and its replay report the same.
        TrialResult r = arrived.withOutcome(arrived.status(), arrived.hyperparameters(), arrived.metrics(), arrived.error(),
                Math.round(arrived.seconds() * 1000) / 1000.0);
        if (!r.isOk()) {
            return r;
        }
        for (Objective o : objectives) {
            if (!r.metrics().containsKey(o.metric())) {
                return null;
            }
        }
        Map<String, Double> finite = new LinkedHashMap<>();
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            boolean isFinite = m.getValue() != null && Double.isFinite(m.getValue());
            if (!isFinite && objectives.stream().anyMatch(o -> o.metric().equals(m.getKey()))) {
                return r.withOutcome(io.finegrained.search.TrialStatus.FAILED, r.hyperparameters(),
                        Map.of(), "the objective '" + m.getKey() + "' is " + m.getValue(), r.seconds());
            }
            if (isFinite) {
                finite.put(m.getKey(), m.getValue());
            }
        }
        return r.withOutcome(r.status(), r.hyperparameters(), finite, null, r.seconds());
    }

    private String missingObjective(TrialResult r) {
        List<String> missing = new ArrayList<>();
        objectives.forEach(o -> {
            if (!r.metrics().containsKey(o.metric())) {
                missing.add("'" + o.metric() + "'");
            }
        });
        return "trial " + r.id() + " succeeded but did not report the objective" + (missing.size() > 1 ? "s " : " ")
                + String.join(", ", missing) + " (it reported " + r.metrics().keySet()
                + "); make the trial report it, or change the 'objectives' section";
    }
}
