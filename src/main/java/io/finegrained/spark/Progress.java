package io.finegrained.spark;

import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The progress line printed as each trial finishes, on stderr:
 * <pre>
 * [gen 2/3] 5/8 done, 1 failed · total 21/24 · best f1 0.0123, f2 0.441 (front 7) · 0:42, ETA 0:10 · #17 OK 1.2 s
 * </pre>
 * The ETA extrapolates the pace of the trials finished in this session to the remaining budget.
 * An asynchronous run has no generations (docs/async-execution.md, "Progress"):
 * <pre>
 * [async] 9/12 done, 1 failed, 4 stopped · rungs 1×9 3×4 9×1 · busy 2/2 · best accuracy 0.81, macs 1.2e+06 (front 3) · 0:42, ETA 0:14 · #8 STOPPED 1.9 s at 1
 * </pre>
 */
public final class Progress {
    private boolean asynchronous;
    private java.util.SortedMap<Integer, Integer> asyncRungs = new java.util.TreeMap<>();
    private int asyncBusy;
    private int asyncSlots;
    private final java.util.Map<TrialStatus, Integer> asyncVerdicts = new java.util.EnumMap<>(TrialStatus.class);
    private static final int REASON_CHARS = 90;

    private final PrintStream out;
    private final List<Objective> objectives;
    private final int plannedGenerations;
    private final int plannedTrials;
    private final List<TrialResult> all = new ArrayList<>();
    private final long start = System.nanoTime();
    private long firstSubmission = -1;
    private int ranThisSession;
    private int generation;
    private int generationSize;
    private int generationDone;
    private int generationFailed;

    /**
     * @param plannedGenerations the budget's generations, or 0 when unknown
     * @param plannedTrials the budget's trials, or 0 when unknown
     */
    public Progress(PrintStream out, List<Objective> objectives, int plannedGenerations, int plannedTrials) {
        this.out = out;
        this.objectives = List.copyOf(objectives);
        this.plannedGenerations = plannedGenerations;
        this.plannedTrials = plannedTrials;
    }

    /** Counts a result taken from the journal (a resumed run), silently. */
    public void replayed(TrialResult result) {
        all.add(result);
    }

    /** A generation starts; {@code alreadyDone} of its {@code size} trials came from the journal. */
    public void startGeneration(int generation, int size, int alreadyDone, int alreadyFailed) {
        this.generation = generation;
        this.generationSize = size;
        this.generationDone = alreadyDone;
        this.generationFailed = alreadyFailed;
    }

    /** The generation's label for people and the Spark UI: {@code generation 3/10 · 16 candidates}. */
    public String describeGeneration(int toRun) {
        if (firstSubmission < 0) {
            firstSubmission = System.nanoTime(); // the pace for the ETA leaves Spark's start-up out
        }
        return "generation " + generationLabel() + " · " + toRun + (toRun == 1 ? " candidate" : " candidates");
    }

    public void finished(TrialResult result) {
        all.add(result);
        ranThisSession++;
        generationDone++;
        if (!result.isOk()) {
            generationFailed++;
        }
        out.println(line(result));
        out.flush();
    }

    public void note(String message) {
        out.println(message);
        out.flush();
    }

    /**
     * An asynchronous run's verdict: no generations; the verdicts so far (failed and stopped
     * counted apart), the rungs (how many trials reached each resource so far: a rung result, or
     * an OK verdict at its full budget; {@code full} when the trial did not say its resource),
     * the slots running a segment now, the best values and the front.
     *
     * @param rungs trials that reached each resource, by resource (0: a full budget the trial did not name)
     * @param busy slots running a segment now
     * @param slots the training slots
     */
    public void asyncFinished(TrialResult result, java.util.Map<Integer, Integer> rungs, int busy, int slots) {
        asynchronous = true;
        asyncRungs = new java.util.TreeMap<>(rungs);
        asyncBusy = busy;
        asyncSlots = slots;
        asyncVerdicts.merge(result.status(), 1, Integer::sum);
        all.add(result);
        ranThisSession++;
        out.println(line(result));
        out.flush();
    }

    /** A verdict an asynchronous resume answered from the journal: counted, not printed. */
    public void asyncReplayed(TrialResult result) {
        asynchronous = true;
        asyncVerdicts.merge(result.status(), 1, Integer::sum);
        all.add(result);
    }

    String line(TrialResult result) {
        StringBuilder s = new StringBuilder();
        if (asynchronous) {
            int failed = asyncVerdicts.getOrDefault(TrialStatus.FAILED, 0);
            int stopped = asyncVerdicts.getOrDefault(TrialStatus.STOPPED, 0);
            s.append("[async] ").append(all.size());
            if (plannedTrials > 0) {
                s.append('/').append(plannedTrials);
            }
            s.append(" done");
            if (failed > 0) {
                s.append(", ").append(failed).append(" failed");
            }
            if (stopped > 0) {
                s.append(", ").append(stopped).append(" stopped");
            }
            s.append(" · rungs ");
            if (asyncRungs.isEmpty()) {
                s.append('-');
            }
            String sep = "";
            for (java.util.Map.Entry<Integer, Integer> e : asyncRungs.entrySet()) {
                s.append(sep).append(e.getKey() == 0 ? "full" : Integer.toString(e.getKey())).append('×').append(e.getValue());
                sep = " ";
            }
            s.append(" · busy ").append(asyncBusy).append('/').append(asyncSlots);
        } else {
            s.append("[gen ").append(generationLabel()).append("] ").append(generationDone).append('/').append(generationSize)
                    .append(" done");
            if (generationFailed > 0) {
                s.append(", ").append(generationFailed).append(" failed");
            }
            if (plannedTrials > 0) {
                s.append(" · total ").append(all.size()).append('/').append(plannedTrials);
            }
        }
        String best = best();
        if (!best.isEmpty()) {
            s.append(" · ").append(best);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        s.append(" · ").append(clock(elapsed));
        if (plannedTrials > 0 && ranThisSession > 0) {
            int remaining = Math.max(0, plannedTrials - all.size());
            double working = (System.nanoTime() - (firstSubmission < 0 ? start : firstSubmission)) / 1e9;
            s.append(", ETA ").append(clock(working / ranThisSession * remaining));
        }
        s.append(" · #").append(result.id()).append(' ').append(result.status());
        s.append(String.format(Locale.ROOT, " %.1f s", result.seconds()));
        if (result.resource() > 0) {
            s.append(" at ").append(result.resource());
        }
        if (!result.isOk() && result.error() != null) {
            String reason = result.error().replace('\n', ' ');
            s.append(": ").append(reason.length() > REASON_CHARS ? reason.substring(0, REASON_CHARS) + "..." : reason);
        }
        return s.toString();
    }

    private String generationLabel() {
        return (generation + 1) + (plannedGenerations > 0 ? "/" + plannedGenerations : "");
    }

    /** The best value seen of each objective, and the front's size when there are several. */
    private String best() {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < objectives.size(); k++) {
            Double best = null;
            for (TrialResult r : all) {
                double[] point = Front.point(r, objectives);
                if (point != null && (best == null || point[k] < best)) {
                    best = point[k];
                }
            }
            if (best != null) {
                Objective o = objectives.get(k);
                parts.add(o.metric() + " " + ResultTable.number(o.minimised(best), false));
            }
        }
        if (parts.isEmpty()) {
            return "";
        }
        String text = "best " + String.join(", ", parts);
        return objectives.size() > 1 ? text + " (front " + Front.of(all, objectives).size() + ")" : text;
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
