package io.finegrained.spark;

import io.finegrained.search.Candidate;
import io.finegrained.search.Decision;
import io.finegrained.search.Proposal;
import io.finegrained.search.Searcher;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * A minimal asynchronous loop for the runner's own tests, which need to cut a run after a number
 * of segments (the real loop, AsyncLoop, is tested through the driver in AsyncResumeTest and
 * AsyncSearchCommandTest): fill every free slot with a proposal, answer each finished
 * segment with the searcher's decision, tell each verdict. Records the most segments running at once.
 */
final class MiniAsyncLoop {
    private final Searcher searcher;
    private final SparkSegmentRunner spark;
    private final SegmentRunner runner;
    private final int stopAfterSegments;
    private final Map<Integer, Candidate> trials = new HashMap<>();
    private final Map<Integer, Integer> targets = new HashMap<>();
    int segments;
    int maxRunning;

    /** @param stopAfterSegments cancel the run after this many segments (an interrupted run), or MAX_VALUE */
    MiniAsyncLoop(Searcher searcher, SparkSegmentRunner spark, SegmentRunner runner, int stopAfterSegments) {
        this.searcher = searcher;
        this.spark = spark;
        this.runner = runner;
        this.stopAfterSegments = stopAfterSegments;
    }

    void run() throws InterruptedException {
        int nextId = 0;
        int running = 0;
        boolean done = false;
        while (true) {
            while (!done && running < runner.slots()) {
                Proposal p = searcher.propose();
                if (p instanceof Proposal.Trial t) {
                    Candidate c = new Candidate(nextId++, t.batch(), t.values());
                    trials.put(c.id(), c);
                    targets.put(c.id(), t.resource());
                    runner.start(c, 0, t.resource());
                    running++;
                } else {
                    done = p instanceof Proposal.Done;
                    break;
                }
            }
            maxRunning = Math.max(maxRunning, running);
            if (running == 0) {
                return;
            }
            SegmentRunner.Segment s = runner.next();
            running--;
            if (++segments >= stopAfterSegments) {
                runner.cancel();
                return;
            }
            TrialResult r = s.result();
            int id = s.trial().id();
            if (!r.isOk() || targets.get(id) == Proposal.FULL_BUDGET || spark.completed(id)) {
                searcher.tell(r);
                continue;
            }
            Decision d = searcher.report(s.trial(), r.metrics(), s.resource());
            if (d instanceof Decision.Continue c) {
                targets.put(id, c.resource());
                runner.start(s.trial(), s.resource(), c.resource());
                running++;
            } else {
                searcher.tell(new TrialResult(r.id(), r.generation(), TrialStatus.STOPPED, r.hyperparameters(), r.metrics(), null,
                        r.seconds(), s.resource(), r.started(), r.finished(), r.executor()));
            }
        }
    }
}
