package io.finegrained.cluster;

import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small seeded algorithm over {@code x, y} in [0, 1]: the first generation is uniform, each
 * later one steps around the best point told so far (smallest f1 + f2). Its decisions depend on
 * the results it was told, so a resumed run equals an uninterrupted one only if the replay told
 * it the same results.
 */
final class SeededWalk implements SearchAlgorithm {
    private final Random random;
    private final int population;
    private final int generations;
    private int asked;
    private double bestX = Double.NaN;
    private double bestY = Double.NaN;
    private double bestScore = Double.POSITIVE_INFINITY;

    SeededWalk(long seed, int population, int generations) {
        this.random = new Random(seed);
        this.population = population;
        this.generations = generations;
    }

    @Override
    public List<Map<String, Object>> ask() {
        if (asked >= generations) {
            return List.of();
        }
        asked++;
        List<Map<String, Object>> generation = new ArrayList<>();
        for (int i = 0; i < population; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            boolean first = Double.isNaN(bestX);
            values.put("x", first ? random.nextDouble() : clamp(bestX + 0.2 * random.nextGaussian()));
            values.put("y", first ? random.nextDouble() : clamp(bestY + 0.2 * random.nextGaussian()));
            generation.add(values);
        }
        return generation;
    }

    @Override
    public void tell(List<TrialResult> results) {
        for (TrialResult result : results) {
            if (!result.isOk()) {
                continue;
            }
            double score = result.metrics().get("f1") + result.metrics().get("f2");
            if (score < bestScore) {
                bestScore = score;
                bestX = (Double) result.hyperparameters().get("x");
                bestY = (Double) result.hyperparameters().get("y");
            }
        }
    }

    /** The most trials it proposes (the search layer's interface is gaining this method). */
    public int budget() {
        return population * generations;
    }

    private static double clamp(double value) {
        return Math.min(1, Math.max(0, value));
    }
}
