package io.finegrained.search.algorithms;

/**
 * Caps on budgets, checked when the job is read. Far above a real run (the scheduling
 * simulations go to 4,096 slots and 100,000 trials) and far below what exhausts the driver: a
 * generation's candidates are held on the driver and sent as one Spark job, and every trial is a
 * journal row replayed on resume.
 */
final class Limits {
    static final int MAX_POPULATION = 100_000;
    static final String POPULATION_WHY = "a generation is held on the driver and sent as one Spark job";
    static final int MAX_TRIALS = 10_000_000;
    static final String TRIALS_WHY = "every trial is a journal row that --resume replays";
    static final int MAX_GRID_POINTS = 1_000_000;

    private Limits() {
    }
}
