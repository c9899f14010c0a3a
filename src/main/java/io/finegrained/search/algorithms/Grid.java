package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmProvider;
import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Generations;
import io.finegrained.search.Genome;
import io.finegrained.search.Genomes;
import io.finegrained.search.GridAxis;
import io.finegrained.search.GridSearch;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.space.Domain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grid search ({@code GridSearch}): the whole grid, or with {@code samples} a seeded part spread
 * over it; real axes need {@code grid_points}.
 */
public final class Grid implements AlgorithmProvider {
    /** Without {@code samples} the whole grid runs only up to this many points. */
    public static final int MAX_WHOLE_GRID = 100_000;

    @Override
    public String name() {
        return "GridSearch";
    }

    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>(SamplingSettings.KEYS);
        keys.add("grid_points");
        return keys;
    }

    @Override
    public String foreignKeyHint(String key) {
        return SamplingSettings.foreignKeyHint(key);
    }

    @Override
    public Searcher create(AlgorithmSection section, SearchProblem problem) {
        SamplingSettings settings = SamplingSettings.readFor(name(), section, problem);
        Integer gridPoints = section.optInt("grid_points", 1, Limits.MAX_GRID_POINTS, "points per real axis").orElse(null);
        List<GridAxis> axes = new ArrayList<>();
        for (Map.Entry<String, Domain> e : problem.space().domains().entrySet()) {
            GridAxis axis = new GridAxis(e.getKey(), e.getValue(), gridPoints);
            if (axis.size() == null) {
                throw section.errorAt("type", "GridSearch cannot enumerate " + e.getValue().typeName() + " '" + e.getKey()
                        + "' without grid_points: set search_algorithm.grid_points (points per real axis)");
            }
            axes.add(axis);
        }
        BigInteger size = GridSearch.sizeOf(axes);
        int budget;
        if (settings.samples() != null) {
            budget = size.min(BigInteger.valueOf(settings.samples())).intValueExact();
        } else if (size.compareTo(BigInteger.valueOf(MAX_WHOLE_GRID)) > 0) {
            throw section.errorAt("type", "the grid has " + size + " points, more than " + MAX_WHOLE_GRID
                    + " to run whole: set search_algorithm.samples to run a spread-out part of it");
        } else {
            budget = size.intValueExact();
        }
        Genome genome = Genomes.of(problem.space(), false);
        GridSearch search = new GridSearch(genome, axes, budget, settings.batchSize(budget), settings.seed(), problem.gate(genome));
        return new Generations(search, settings.batches(budget));
    }
}
