package io.finegrained.search.async;

import io.finegrained.search.Candidate;
import io.finegrained.search.Proposal;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A {@link SegmentRunner} on a simulated clock: a segment takes the seconds the model gives it,
 * nothing sleeps, and {@link #next()} jumps the clock to the earliest end (ties: the segment
 * started first). The same code that schedules Spark trials runs here at 4,096 slots in seconds
 * of CPU. Deterministic: the model's seconds and metrics are functions of the trial and the
 * resources, never of a stream.
 *
 * <p>Busy fraction, as the issue defines it: training seconds / (slots × time from the first
 * segment's start to the last one's end).
 *
 * <p>{@link #copy()} snapshots the cluster (clock and running segments): a test interrupts a
 * driver, copies the cluster at that point, and resumes on the copy; a {@link #start} of a
 * segment the copy is already running leaves it running, as an executor that kept training while
 * the driver came back would.
 */
public final class SimulatedCluster implements SegmentRunner {

    /** What a trial costs and measures on the simulated clock. */
    public interface Model {
        /** The full budget of a trial (what {@code Proposal.FULL_BUDGET} trains to). */
        int fullResource();

        /** Seconds to train {@code trial} from {@code from} to {@code to}. */
        double seconds(Candidate trial, int from, int to);

        /** Its metrics at {@code resource}; null when the trial fails there (its own failure). */
        Map<String, Double> metrics(Candidate trial, int resource);
    }

    private record Running(double end, long order, Candidate trial, int from, int to, double seconds) {
    }

    private final int slots;
    private final Model model;
    private PriorityQueue<Running> running = new PriorityQueue<>((a, b) -> a.end != b.end ? Double.compare(a.end, b.end)
            : Long.compare(a.order, b.order));
    private Map<Integer, Running> byTrial = new HashMap<>();
    private double clock;
    private long started;
    private double busy;
    private double firstStart = Double.NaN;
    private double lastEnd;
    private double idle; // slot-seconds with no segment, from the first start to the clock
    private int peakRunning;

    public SimulatedCluster(int slots, Model model) {
        if (slots < 1) {
            throw new IllegalArgumentException("a cluster has at least one slot, got " + slots);
        }
        this.slots = slots;
        this.model = model;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public void start(Candidate trial, int fromResource, int toResource) {
        int to = toResource == Proposal.FULL_BUDGET ? model.fullResource() : toResource;
        Running already = byTrial.get(trial.id());
        if (already != null && already.from == fromResource && already.to == to) {
            return; // already running here (a copy resumed): it keeps its end
        }
        if (running.size() >= slots) {
            throw new IllegalStateException("segment of trial " + trial.id() + " started with every slot busy");
        }
        double seconds = model.seconds(trial, fromResource, to);
        Running r = new Running(clock + seconds, started++, trial, fromResource, to, seconds);
        running.add(r);
        byTrial.put(trial.id(), r);
        if (Double.isNaN(firstStart)) {
            firstStart = clock;
        }
        peakRunning = Math.max(peakRunning, running.size());
    }

    @Override
    public Segment next() {
        Running r = running.poll();
        if (r == null) {
            return null;
        }
        byTrial.remove(r.trial.id());
        if (!Double.isNaN(firstStart)) {
            idle += (slots - running.size() - 1) * (r.end - clock); // r was running until its end
        }
        clock = r.end;
        busy += r.seconds;
        lastEnd = Math.max(lastEnd, r.end);
        Map<String, Double> metrics = model.metrics(r.trial, r.to);
        TrialResult result = metrics == null ? TrialResult.failed(r.trial, "diverged (simulated)", r.seconds)
                : TrialResult.ok(r.trial, metrics, r.seconds);
        return new Segment(r.trial, r.to, result);
    }

    @Override
    public void cancel() {
        running.clear();
        byTrial.clear();
    }

    /** The simulated time now (seconds since the start). */
    public double clock() {
        return clock;
    }

    /** Training seconds of the finished segments. */
    public double busySeconds() {
        return busy;
    }

    /** From the first segment's start to the last one's end. */
    public double makespan() {
        return Double.isNaN(firstStart) ? 0 : lastEnd - firstStart;
    }

    /** busy / (slots × makespan); 0 before anything ran. */
    public double busyFraction() {
        double span = makespan();
        return span <= 0 ? 0 : busy / (slots * span);
    }

    /**
     * Slot-seconds in which a slot had no segment, from the first segment's start to the clock
     * now: where the busy fraction's loss lies (the benchmark splits it at the last new trial's
     * start, to tell the tail from the rest).
     */
    public double idleSeconds() {
        return idle;
    }

    /** The most segments that ran at once. */
    public int peakRunning() {
        return peakRunning;
    }

    /** Segments running now. */
    public int runningCount() {
        return running.size();
    }

    /** A snapshot: same clock, same running segments, same accounting; independent from now on. */
    public SimulatedCluster copy() {
        SimulatedCluster c = new SimulatedCluster(slots, model);
        c.running = new PriorityQueue<>(running);
        c.byTrial = new HashMap<>(byTrial);
        c.clock = clock;
        c.started = started;
        c.busy = busy;
        c.firstStart = firstStart;
        c.lastEnd = lastEnd;
        c.idle = idle;
        c.peakRunning = peakRunning;
        return c;
    }
}
