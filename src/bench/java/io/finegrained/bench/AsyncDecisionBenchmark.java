package io.finegrained.bench;

import io.finegrained.config.YamlLoader;
import io.finegrained.search.Algorithms;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
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
 * {@code submit/bench AsyncDecisionBenchmark [--trials 100000] [--slots 512] [--population 100]}
 *
 * <p>How many decisions the driver sustains with a long journal: AsyncNSGA2 with ASHA (rungs 1, 3,
 * 9, η 3) over {@link LearningCurves}, two objectives (accuracy, MACs) and three (accuracy, MACs,
 * params), {@code --trials} trials on the simulated cluster. A decision is one answer of the
 * search layer: a proposal, a rung decision, or a verdict told. Measured: the loop thread's CPU
 * time (simulation included), overall and per tenth of the run (a rate that falls as the journal
 * grows would show a cost growing with it); then the same record replayed into a fresh searcher
 * (what {@code --resume} does with that journal, nothing run).
 */
public final class AsyncDecisionBenchmark {

    private AsyncDecisionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = ZdtBenchmark.options(args);
        int trials = Integer.parseInt(opt.getOrDefault("trials", "100000"));
        int slots = Integer.parseInt(opt.getOrDefault("slots", "512"));
        int population = Integer.parseInt(opt.getOrDefault("population", "100"));
        System.out.printf(Locale.ROOT, "AsyncDecisionBenchmark: AsyncNSGA2 (population %d) + ASHA 1/3/9, %d trials, %d simulated slots%n",
                population, trials, slots);
        System.out.println("objectives | decisions | CPU s | decisions/s | decisions/s per tenth of the run (first..last) | replay: decisions/s");
        List<Objective> three = List.of(new Objective("accuracy", Objective.Direction.MAX), new Objective("macs", Objective.Direction.MIN),
                new Objective("params", Objective.Direction.MIN));
        for (int m = 2; m <= 3; m++) {
            List<Objective> objectives = three.subList(0, m);
            String yaml = "type: AsyncNSGA2\npopulation: " + population + "\nsamples: " + trials + "\nseed: 1\n"
                    + "scheduler: {type: ASHA, eta: 3, min_resource: 1, max_resource: 9}\n";
            ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            List<LoopEvent> events = new ArrayList<>();
            long[] marks = new long[11];
            int[] finished = {0};
            long cpu0 = bean.getCurrentThreadCpuTime();
            List<Long> decisionMarks = new ArrayList<>();
            long[] decisions = {0};
            AsyncLoop loop = new AsyncLoop(searcher(yaml, objectives), new SimulatedCluster(slots, new LearningCurves(9)), e -> {
                events.add(e);
                // every event stands for one decision: Started (new) a proposal, Rung a decision, Finished a verdict
                if (!(e instanceof LoopEvent.Started s && s.fromResource() > 0)) {
                    decisions[0]++;
                }
                if (e instanceof LoopEvent.Finished && ++finished[0] % (trials / 10) == 0) {
                    marks[finished[0] / (trials / 10)] = bean.getCurrentThreadCpuTime();
                    decisionMarks.add(decisions[0]);
                }
            });
            marks[0] = cpu0;
            loop.run();
            double cpu = (bean.getCurrentThreadCpuTime() - cpu0) / 1e9;
            StringBuilder tenths = new StringBuilder();
            long before = 0;
            for (int k = 1; k <= 10 && k - 1 < decisionMarks.size(); k++) {
                long d = decisionMarks.get(k - 1) - before;
                before = decisionMarks.get(k - 1);
                tenths.append(k == 1 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", d / ((marks[k] - marks[k - 1]) / 1e9)));
            }
            long r0 = bean.getCurrentThreadCpuTime();
            AsyncLoop.Replayed replayed = AsyncLoop.replay(searcher(yaml, objectives), events);
            double replayCpu = (bean.getCurrentThreadCpuTime() - r0) / 1e9;
            long replayDecisions = replayed.nextId() + replayed.decisions() + replayed.finished().size();
            System.out.printf(Locale.ROOT, "%d | %d | %.2f | %.0f | %s | %.0f%n", m, decisions[0], cpu, decisions[0] / cpu, tenths,
                    replayDecisions / replayCpu);
        }
    }

    static Searcher searcher(String yaml, List<Objective> objectives) {
        return Algorithms.standard().create(YamlLoader.parse(yaml, "<bench>"),
                new SearchProblem(LearningCurves.space(), objectives, null, Constraints.none()));
    }
}
