package io.finegrained.bench;

import io.finegrained.config.YamlLoader;
import io.finegrained.search.Algorithms;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.Pareto;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialStatus;
import io.finegrained.search.async.AsyncLoop;
import io.finegrained.search.async.LearningCurves;
import io.finegrained.search.async.LoopEvent;
import io.finegrained.search.async.SimulatedCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code submit/bench AsyncScaleBenchmark [--slots 64,512,4096] [--trials-per-slot 10] [--epochs 9]
 * [--population 128] [--seed 1] [--contenders generational,async,asha]}
 *
 * <p>The same scheduler and algorithm code as a Spark run, on the simulated clock
 * ({@link SimulatedCluster}, trials from {@link LearningCurves}): per cluster size, the
 * generational NSGA-II (population = slots, so one generation fills the cluster; generations =
 * trials per slot) against AsyncNSGA2 (population {@code --population}, same number of trials)
 * with every trial at the full budget, and AsyncNSGA2 with ASHA (rungs 1, 3, 9 of 9 epochs, η 3).
 * Reported: busy fraction, simulated makespan, the hypervolume of the full-budget trials
 * (1 − accuracy against log MACs scaled to [0, 1] between the space's smallest and largest
 * network, reference (1, 1)), the simulated time each run needs to reach 0.99 of the generational
 * run's final hypervolume, and the driver's CPU
 * (the loop thread's, simulation included) per decision (a proposal, a rung decision or a verdict).
 */
public final class AsyncScaleBenchmark {
    static final List<Objective> OBJECTIVES = List.of(new Objective("accuracy", Objective.Direction.MAX),
            new Objective("macs", Objective.Direction.MIN));
    static final double MACS_MAX = 9.0 * 784 * 20 * 128 * 128;
    static final double MACS_MIN = 9.0 * 784 * 2 * 16 * 16;

    private AsyncScaleBenchmark() {
    }

    /** One run's figures. */
    record Run(String name, double busy, double makespan, int trials, int fullBudget, double finalHv, List<double[]> hvOverTime,
               double cpuSeconds, long decisions, double idleBeforeLast, double idleTail, double tailSeconds) {
        double timeTo(double target) {
            for (double[] p : hvOverTime) {
                if (p[1] >= target) {
                    return p[0];
                }
            }
            return Double.NaN;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = ZdtBenchmark.options(args);
        int perSlot = Integer.parseInt(opt.getOrDefault("trials-per-slot", "10"));
        int epochs = Integer.parseInt(opt.getOrDefault("epochs", "9"));
        int population = Integer.parseInt(opt.getOrDefault("population", "128"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "1"));
        System.out.printf(Locale.ROOT, "AsyncScaleBenchmark: %d trials per slot, %d epochs per trial, async population %d, seed %d;"
                + " simulated seconds (5.2-12.1 s per epoch)%n", perSlot, epochs, population, seed);
        System.out.println("slots | run | busy fraction | makespan (h) | trials (full budget) | final HV | time to 0.99 x generational final HV (h)"
                + " | driver CPU per decision (us) | decisions | idle before the last new trial's start / in the tail after it"
                + " (fractions of slots x makespan) | tail (s)");
        for (String s : opt.getOrDefault("slots", "64,512,4096").split(",")) {
            int slots = Integer.parseInt(s.trim());
            int budget = slots * perSlot;
            List<Run> runs = new ArrayList<>();
            List<String> which = List.of(opt.getOrDefault("contenders", "generational,async,asha").split(","));
            if (which.contains("generational")) {
                runs.add(run("generational NSGA2", "type: NSGA2\npopulation: " + slots + "\ngenerations: " + perSlot + "\nseed: " + seed + "\n",
                        slots, epochs));
            }
            if (which.contains("async")) {
                runs.add(run("AsyncNSGA2", "type: AsyncNSGA2\npopulation: " + population + "\nsamples: " + budget + "\nseed: " + seed + "\n",
                        slots, epochs));
            }
            if (which.contains("asha")) {
                runs.add(run("AsyncNSGA2 + ASHA", "type: AsyncNSGA2\npopulation: " + population + "\nsamples: " + budget + "\nseed: " + seed
                        + "\nscheduler: {type: ASHA, eta: 3, min_resource: 1, max_resource: " + epochs + "}\n", slots, epochs));
            }
            double target = which.contains("generational") ? 0.99 * runs.get(0).finalHv() : Double.NaN;
            for (Run r : runs) {
                double capacity = slots * r.makespan();
                System.out.printf(Locale.ROOT, "%d | %s | %.4f | %.2f | %d (%d) | %.4f | %.2f | %.1f | %d | %.4f / %.4f | %.0f%n", slots, r.name(),
                        r.busy(), r.makespan() / 3600, r.trials(), r.fullBudget(), r.finalHv(), r.timeTo(target) / 3600,
                        r.cpuSeconds() * 1e6 / r.decisions(), r.decisions(), r.idleBeforeLast() / capacity, r.idleTail() / capacity,
                        r.tailSeconds());
            }
        }
    }

    static Searcher searcher(String yaml) {
        return Algorithms.standard().create(YamlLoader.parse(yaml, "<bench>"),
                new SearchProblem(LearningCurves.space(), OBJECTIVES, null, Constraints.none()));
    }

    static Run run(String name, String yaml, int slots, int epochs) throws InterruptedException {
        SimulatedCluster cluster = new SimulatedCluster(slots, new LearningCurves(epochs));
        List<double[]> finishes = new ArrayList<>(); // {time, 1 - accuracy, macs / max}
        long[] events = {0};
        double[] lastNew = {0, 0}; // clock and idle slot-seconds when the last new trial started
        AsyncLoop loop = new AsyncLoop(searcher(yaml), cluster, e -> {
            if (e instanceof LoopEvent.Started st && st.fromResource() == 0) {
                lastNew[0] = cluster.clock();
                lastNew[1] = cluster.idleSeconds();
            }
            if (e instanceof LoopEvent.Finished f && f.result().status() == TrialStatus.OK) {
                finishes.add(new double[] {cluster.clock(), 1 - f.result().metrics().get("accuracy"),
                        Math.log(f.result().metrics().get("macs") / MACS_MIN) / Math.log(MACS_MAX / MACS_MIN)});
            }
            events[0]++;
        });
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long cpu0 = bean.getCurrentThreadCpuTime();
        AsyncLoop.Summary summary = loop.run();
        double cpu = (bean.getCurrentThreadCpuTime() - cpu0) / 1e9;
        long decisions = summary.proposals() + summary.decisions() + summary.results().size();
        List<double[]> series = hypervolumeOverTime(finishes);
        double finalHv = series.isEmpty() ? 0 : series.get(series.size() - 1)[1];
        return new Run(name, cluster.busyFraction(), cluster.makespan(), summary.results().size(), finishes.size(), finalHv, series, cpu,
                decisions, lastNew[1], cluster.idleSeconds() - lastNew[1], cluster.makespan() - lastNew[0]);
    }

    /** (time, hypervolume so far) at up to 400 points through the run, and at its end. */
    static List<double[]> hypervolumeOverTime(List<double[]> finishes) {
        List<double[]> out = new ArrayList<>();
        int step = Math.max(1, finishes.size() / 400);
        List<double[]> front = new ArrayList<>();
        for (int i = 0; i < finishes.size(); i++) {
            double[] f = finishes.get(i);
            front.add(new double[] {f[1], f[2]});
            if ((i + 1) % step == 0 || i == finishes.size() - 1) {
                // keep only the non-dominated points between checkpoints, so this stays cheap
                front = new ArrayList<>(nonDominated(front));
                out.add(new double[] {f[0], Pareto.hypervolume2d(front, new double[] {1, 1})});
            }
        }
        return out;
    }

    static List<double[]> nonDominated(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        List<double[]> out = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (double[] p : sorted) {
            if (p[1] < best) {
                out.add(p);
                best = p[1];
            }
        }
        return out;
    }
}
