package io.finegrained.spark;

import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small seeded algorithm for the driver's tests: the first generation is uniform in [0, 1]²,
 * later ones sample around the best f1 told so far, so its decisions depend on the results it
 * was told, in the order told (what a replay must reproduce).
 */
final class TinyAlgorithm implements SearchAlgorithm {
    private final Random random;
    private final int population;
    private final int generations;
    private int generation;
    private double best = Double.NaN;
    private final List<Integer> toldIds = new ArrayList<>();

    TinyAlgorithm(long seed, int population, int generations) {
        this.random = new Random(seed);
        this.population = population;
        this.generations = generations;
    }

    @Override
    public List<Map<String, Object>> ask() {
        if (generation >= generations) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < population; i++) {
            double x = Double.isNaN(best) ? random.nextDouble() : Math.min(1, Math.max(0, best + 0.1 * random.nextGaussian()));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("x", x);
            values.put("y", random.nextDouble());
            out.add(values);
        }
        generation++;
        return out;
    }

    @Override
    public void tell(List<TrialResult> results) {
        for (TrialResult r : results) {
            toldIds.add(r.id());
            Double f1 = r.metrics().get("f1");
            if (r.isOk() && f1 != null && (Double.isNaN(best) || f1 < best)) {
                best = (Double) r.hyperparameters().get("x");
            }
        }
    }

    @Override
    public int budget() {
        return population * generations;
    }

    List<Integer> toldIds() {
        return toldIds;
    }
}
