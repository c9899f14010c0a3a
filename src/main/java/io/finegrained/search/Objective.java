package io.finegrained.search;

/** A metric to optimise, read by name from each trial's metrics. */
public record Objective(String metric, Direction direction) {

    /** Whether larger or smaller is better. */
    public enum Direction {
        MIN,
        MAX
    }

    /** The value turned so that smaller is always better (what the algorithms compare). */
    public double minimised(double value) {
        return direction == Direction.MIN ? value : -value;
    }
}
