package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Genome;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Selection;
import java.util.List;
import java.util.Locale;

/** A single-objective evolutionary algorithm: truncation survival, tournament parents. */
public final class Evolution extends GeneticProvider {
    public static final int DEFAULT_TOURNAMENT_SIZE = 2;

    @Override
    public String name() {
        return "Evolution";
    }

    @Override
    List<String> ownKeys() {
        return List.of("tournament_size");
    }

    @Override
    public String foreignKeyHint(String key) {
        return key.equals("tournament_size") ? "" : super.foreignKeyHint(key);
    }

    @Override
    Genome genome(AlgorithmSection section, SearchProblem problem) {
        List<Objective> objectives = problem.objectives();
        if (objectives.size() != 1) {
            List<String> names = objectives.stream()
                    .map(o -> o.metric() + ": " + o.direction().name().toLowerCase(Locale.ROOT)).toList();
            throw section.error("Evolution optimises one objective, " + objectives.size() + " are given ("
                    + String.join(", ", names) + "): use NSGA2 for several");
        }
        return spaceGenome(section, problem, false);
    }

    @Override
    Selection selection(AlgorithmSection section, SearchProblem problem) {
        int size = section.optInt("tournament_size", 1, Limits.MAX_POPULATION, Limits.POPULATION_WHY).orElse(DEFAULT_TOURNAMENT_SIZE);
        return Selection.singleObjective(size);
    }
}
