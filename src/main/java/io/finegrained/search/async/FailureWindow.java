package io.finegrained.search.async;

/**
 * The failure-rate stop of an asynchronous run: the generational driver stops when more than
 * {@code trial.failure_threshold} of a generation failed; without generations the window is the
 * last {@code size} verdicts (the population, for the asynchronous algorithms), sliding. The rule
 * trips when the window is full and more than threshold × size of it failed — or earlier, as soon
 * as the failures alone exceed that count, as a generation's count would. STOPPED is not a failure.
 * O(1) per verdict (a ring of booleans).
 */
public final class FailureWindow {
    private final boolean[] ring;
    private final double threshold;
    private int filled;
    private int next;
    private int failures;

    public FailureWindow(int size, double threshold) {
        if (size < 1) {
            throw new IllegalArgumentException("a window holds at least one verdict, got " + size);
        }
        this.ring = new boolean[size];
        this.threshold = threshold;
    }

    /** Adds a verdict; true when the failures in the window now exceed the threshold. */
    public boolean add(boolean failed) {
        if (filled == ring.length) {
            failures -= ring[next] ? 1 : 0;
        } else {
            filled++;
        }
        ring[next] = failed;
        failures += failed ? 1 : 0;
        next = (next + 1) % ring.length;
        return failures > threshold * ring.length;
    }

    /** Failures among the last verdicts. */
    public int failures() {
        return failures;
    }

    /** The window's length. */
    public int size() {
        return ring.length;
    }
}
