package io.finegrained.search.algorithms;

import io.finegrained.search.AlgorithmProvider;
import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.GeneticSearch;
import io.finegrained.search.Generations;
import io.finegrained.search.Genome;
import io.finegrained.search.Genomes;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.Selection;
import java.util.ArrayList;
import java.util.List;

/**
 * What the generational algorithms share: the {@link GeneticSettings} keys and the
 * {@link GeneticSearch} loop run through {@link Generations}. An algorithm differs from its kin
 * in its genome, its selection, its default objectives and what it refuses.
 */
abstract class GeneticProvider implements AlgorithmProvider {

    /** Keys this algorithm reads besides {@link GeneticSettings#KEYS}. */
    List<String> ownKeys() {
        return List.of();
    }

    /** The genes it evolves over the problem; refusals as located errors. */
    abstract Genome genome(AlgorithmSection section, SearchProblem problem);

    /** NSGA-II's selection unless overridden. */
    Selection selection(AlgorithmSection section, SearchProblem problem) {
        return Selection.nsga2();
    }

    @Override
    public final List<String> keys() {
        List<String> keys = new ArrayList<>(GeneticSettings.KEYS);
        keys.addAll(ownKeys());
        return keys;
    }

    @Override
    public String foreignKeyHint(String key) {
        return GeneticSettings.foreignKeyHint(key);
    }

    @Override
    public final Searcher create(AlgorithmSection section, SearchProblem problem) {
        GeneticSettings settings = GeneticSettings.read(section);
        problem.checkConstraintsMeasurable();
        Genome genome = genome(section, problem);
        Selection selection = selection(section, problem);
        GeneticSearch search = new GeneticSearch(name(), genome, problem.objectives(), settings.variation(genome), selection,
                settings.population(), settings.survivors(), settings.generations(), settings.seed(), problem.gate(genome));
        return new Generations(search, settings.generations());
    }

    /** The space's own parameters as genes, refusing a space that opens none. */
    final Genome spaceGenome(AlgorithmSection section, SearchProblem problem, boolean keepOnes) {
        if (problem.space().domains().isEmpty()) {
            throw section.error(name() + " has nothing to search: the space opens no hyper-parameters"
                    + " (list them under search_space.hyper_parameters)");
        }
        return Genomes.of(problem.space(), keepOnes);
    }

    /** Refuses open parameters beside the genes a process-module algorithm opens itself. */
    final void onlyOwnGenes(AlgorithmSection section, SearchProblem problem) {
        if (!problem.space().domains().isEmpty()) {
            String key = problem.space().domains().keySet().iterator().next();
            throw section.error(name() + " opens its own genes on the network and searches nothing else;"
                    + " the space also opens '" + key + "': remove it from search_space.hyper_parameters, or use NSGA2");
        }
    }
}
