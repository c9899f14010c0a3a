package io.finegrained.search.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.YamlLoader;
import io.finegrained.search.Algorithms;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The asynchronous loop on the simulated clock: busy slots, one verdict per trial, determinism, resume = uninterrupted. */
class AsyncLoopTest {
    static final List<Objective> TWO = List.of(new Objective("accuracy", Objective.Direction.MAX), new Objective("macs", Objective.Direction.MIN));
    static final List<Objective> ONE = List.of(new Objective("accuracy", Objective.Direction.MAX));

    static Searcher searcher(String yaml, List<Objective> objectives) {
        return Algorithms.standard().create(YamlLoader.parse(yaml, "job.yml"),
                new SearchProblem(LearningCurves.space(), objectives, null, Constraints.none()));
    }

    static final String NSGA_ASHA = "type: AsyncNSGA2\npopulation: 12\nsamples: 150\nseed: 3\n"
            + "scheduler: {type: ASHA, eta: 3, min_resource: 1, max_resource: 9}\n";
    static final String AGING_HYPERBAND = "type: AgingEvolution\npopulation: 10\nsample: 3\nsamples: 150\nseed: 4\n"
            + "scheduler: {type: Hyperband, eta: 3, min_resource: 1, max_resource: 9}\n";
    static final String RANDOM_ASHA = "type: AsyncRandomSearch\nsamples: 150\nseed: 5\n"
            + "scheduler: {type: ASHA, eta: 3, max_resource: 9}\n";

    static String config(String name) {
        return switch (name) {
            case "nsga" -> NSGA_ASHA;
            case "aging" -> AGING_HYPERBAND;
            default -> RANDOM_ASHA;
        };
    }

    static List<Objective> objectives(String name) {
        return name.equals("aging") ? ONE : TWO;
    }

    @Test
    void keepsEverySlotBusyWhileTheBudgetLasts() throws Exception {
        SimulatedCluster cluster = new SimulatedCluster(16, new LearningCurves(9));
        List<Integer> idleAtStart = new ArrayList<>();
        int[] started = {0};
        AsyncLoop loop = new AsyncLoop(searcher(NSGA_ASHA, TWO), cluster, e -> {
            if (e instanceof LoopEvent.Finished) {
                // after a verdict the loop fills the freed slot at once: nothing idles while proposals remain
                idleAtStart.add(started[0] < 150 ? cluster.slots() - cluster.runningCount() : 0);
            } else if (e instanceof LoopEvent.Started s && s.fromResource() == 0) {
                started[0]++;
            }
        });
        AsyncLoop.Summary summary = loop.run();
        assertEquals(150, summary.results().size());
        assertEquals(16, cluster.peakRunning());
        // one slot was freed by the verdict itself (refilled right after): never more idle than that
        assertTrue(idleAtStart.stream().allMatch(idle -> idle <= 1), idleAtStart.toString());
        assertTrue(cluster.busyFraction() > 0.85, "busy " + cluster.busyFraction());

        SimulatedCluster generational = new SimulatedCluster(16, new LearningCurves(9));
        new AsyncLoop(searcher("type: NSGA2\npopulation: 16\ngenerations: 9\nseed: 3\n", TWO), generational, null).run();
        assertTrue(generational.busyFraction() < cluster.busyFraction(),
                "generational " + generational.busyFraction() + " vs asynchronous " + cluster.busyFraction());
    }

    @Test
    void idleSlotTimeAddsUpAndLiesInTheTailOnly() throws Exception {
        for (String yaml : List.of(NSGA_ASHA, "type: NSGA2\npopulation: 16\ngenerations: 9\nseed: 3\n")) {
            SimulatedCluster cluster = new SimulatedCluster(16, new LearningCurves(9));
            double[] idleAtLastNew = {-1};
            new AsyncLoop(searcher(yaml, TWO), cluster, e -> {
                if (e instanceof LoopEvent.Started s && s.fromResource() == 0) {
                    idleAtLastNew[0] = cluster.idleSeconds();
                }
            }).run();
            // busy and idle slot-seconds fill the slots from the first start to the last end
            assertEquals(cluster.slots() * cluster.makespan(), cluster.busySeconds() + cluster.idleSeconds(),
                    1e-6 * cluster.slots() * cluster.makespan());
            if (yaml.equals(NSGA_ASHA)) {
                // asynchronous: no slot idles while new trials remain; all idle time is the tail
                assertEquals(0, idleAtLastNew[0], 1e-9);
                assertTrue(cluster.idleSeconds() > 0);
            } else {
                // generational: slots idle at every generation's end, long before the last trial
                assertTrue(idleAtLastNew[0] > 0.1 * cluster.idleSeconds(), idleAtLastNew[0] + " of " + cluster.idleSeconds());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nsga", "aging", "random"})
    void oneVerdictPerTrialWithIdsInProposalOrder(String name) throws Exception {
        List<LoopEvent> events = new ArrayList<>();
        AsyncLoop.Summary summary = new AsyncLoop(searcher(config(name), objectives(name)), new SimulatedCluster(8, new LearningCurves(9)),
                events::add).run();
        Set<Integer> ids = new HashSet<>();
        int nextNew = 0;
        int stopped = 0;
        int full = 0;
        for (LoopEvent e : events) {
            if (e instanceof LoopEvent.Started s && s.fromResource() == 0) {
                assertEquals(nextNew++, s.id(), "ids in proposal order");
            }
            if (e instanceof LoopEvent.Finished f) {
                assertTrue(ids.add(f.id()), "one final row per trial");
                if (f.result().status() == TrialStatus.STOPPED) {
                    stopped++;
                    assertTrue(f.resource() < 9, "stopped below the top: " + f.resource());
                    assertTrue(f.result().metrics().containsKey("accuracy"));
                } else if (f.result().status() == TrialStatus.OK) {
                    full++;
                    assertEquals(9, f.resource());
                }
            }
        }
        assertEquals(150, ids.size());
        assertEquals(150, summary.proposals());
        assertTrue(stopped > 30 && full > 5, stopped + " stopped, " + full + " at the full budget");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nsga", "aging", "random"})
    void sameSeedSameRunOtherSeedOtherRun(String name) throws Exception {
        List<LoopEvent> a = record(config(name), objectives(name));
        List<LoopEvent> b = record(config(name), objectives(name));
        assertSame(a, b, "two runs with one seed");
        List<LoopEvent> c = record(config(name).replace("seed: ", "seed: 9"), objectives(name));
        assertNotEquals(finished(a), finished(c));
    }

    private static List<LoopEvent> record(String yaml, List<Objective> objectives) throws Exception {
        List<LoopEvent> events = new ArrayList<>();
        new AsyncLoop(searcher(yaml, objectives), new SimulatedCluster(8, new LearningCurves(9)), events::add).run();
        return events;
    }

    /**
     * Interrupt the driver after event k, resume a fresh searcher from the first k events on the
     * cluster as it stood then: the resumed run's journal and decisions equal the uninterrupted ones.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nsga", "aging", "random"})
    void resumeFromAnyPointEqualsTheUninterruptedRun(String name) throws Exception {
        List<LoopEvent> full = new ArrayList<>();
        List<SimulatedCluster> snapshots = new ArrayList<>();
        SimulatedCluster cluster = new SimulatedCluster(8, new LearningCurves(9));
        new AsyncLoop(searcher(config(name), objectives(name)), cluster, e -> {
            full.add(e);
            snapshots.add(cluster.copy());
        }).run();
        int total = full.size();
        for (int k : new int[] {1, 2, 9, total / 3, total / 2 + 1, total - 5, total - 1}) {
            List<LoopEvent> resumed = new ArrayList<>(full.subList(0, k));
            new AsyncLoop(searcher(config(name), objectives(name)), snapshots.get(k - 1), resumed::add).resume(full.subList(0, k));
            List<LoopEvent> withoutRestarts = resumed.stream().filter(e -> !(e instanceof LoopEvent.Restarted)).toList();
            assertSame(finished(full), finished(withoutRestarts), "journal after a resume at event " + k);
            assertSame(full, withoutRestarts, "every event and decision after a resume at event " + k);
        }
    }

    /**
     * Every cut point of one run, so the driver also dies between a Stop at a rung and the verdict
     * (the resume only finishes the trial) and between a Continue and the continuation's start.
     */
    @Test
    void resumeAtEveryEventOfARunEqualsTheUninterruptedRun() throws Exception {
        String yaml = RANDOM_ASHA.replace("samples: 150", "samples: 40");
        List<LoopEvent> full = new ArrayList<>();
        List<SimulatedCluster> snapshots = new ArrayList<>();
        SimulatedCluster cluster = new SimulatedCluster(4, new LearningCurves(9));
        new AsyncLoop(searcher(yaml, TWO), cluster, e -> {
            full.add(e);
            snapshots.add(cluster.copy());
        }).run();
        int afterStop = 0;
        int afterContinue = 0;
        for (int k = 1; k < full.size(); k++) {
            if (full.get(k - 1) instanceof LoopEvent.Rung r) {
                afterStop += r.decision() instanceof io.finegrained.search.Decision.Stop ? 1 : 0;
                afterContinue += r.decision() instanceof io.finegrained.search.Decision.Continue ? 1 : 0;
            }
            List<LoopEvent> resumed = new ArrayList<>(full.subList(0, k));
            new AsyncLoop(searcher(yaml, TWO), snapshots.get(k - 1), resumed::add).resume(full.subList(0, k));
            assertSame(full, resumed.stream().filter(e -> !(e instanceof LoopEvent.Restarted)).toList(), "resume at event " + k);
        }
        assertTrue(afterStop > 0 && afterContinue > 0, afterStop + " cuts after a Stop, " + afterContinue + " after a Continue");
    }

    @Test
    void aRecordFromAnotherSeedIsRefused() throws Exception {
        List<LoopEvent> events = record(NSGA_ASHA, TWO);
        AsyncLoop other = new AsyncLoop(searcher(NSGA_ASHA.replace("seed: 3", "seed: 4"), TWO), new SimulatedCluster(8, new LearningCurves(9)), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.resume(events.subList(0, 20)));
        assertTrue(e.getMessage().contains("cannot resume: trial 0"), e.getMessage());
    }

    @Test
    void replayAloneRebuildsTheSearcherWithoutRunning() {
        List<LoopEvent> events;
        try {
            events = record(NSGA_ASHA, TWO);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        AsyncLoop.Replayed r = AsyncLoop.replay(searcher(NSGA_ASHA, TWO), events);
        assertEquals(150, r.nextId());
        assertEquals(150, r.finished().size());
        assertTrue(r.open().isEmpty());
        assertEquals(events.stream().filter(e -> e instanceof LoopEvent.Rung).count(), r.decisions());
    }

    @Test
    void generationalAlgorithmsRunUnchangedOnTheLoop() throws Exception {
        List<LoopEvent> events = new ArrayList<>();
        new AsyncLoop(searcher("type: NSGA2\npopulation: 8\ngenerations: 3\nseed: 1\n", TWO), new SimulatedCluster(4, new LearningCurves(3)),
                events::add).run();
        List<TrialResult> rows = finished(events);
        assertEquals(24, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.status() != TrialStatus.STOPPED));
        assertEquals(List.of(0, 1, 2), rows.stream().map(TrialResult::generation).distinct().sorted().toList());
    }

    /** Equal lists, or a failure naming the first difference (the lists are long). */
    static <T> void assertSame(List<T> expected, List<T> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ", item " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": length");
    }

    static List<TrialResult> finished(List<LoopEvent> events) {
        return events.stream().filter(e -> e instanceof LoopEvent.Finished).map(e -> ((LoopEvent.Finished) e).result()).toList();
    }
}
