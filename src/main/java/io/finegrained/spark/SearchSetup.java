package io.finegrained.spark;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.config.MapNode;
import io.finegrained.search.AlgorithmSettings;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.Objectives;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.SearchAlgorithms;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.NetworkFacts;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.TrainerConfig;
import io.finegrained.trial.DjlTrial;
import io.finegrained.trial.TrialSettings;
import java.util.List;

/**
 * What the driver needs from the search layer for one job: the algorithm (fresh, not yet asked),
 * the objectives, and the budget for progress lines.
 */
public record SearchSetup(SearchAlgorithm algorithm, List<Objective> objectives, SearchRun.Plan plan) {

    public SearchSetup {
        objectives = List.copyOf(objectives);
    }

    /** {@link #from(JobConfig, TrialSettings)} with the file's own {@code trial} section. */
    public static SearchSetup from(JobConfig config) {
        return from(config, TrialSettings.from(config));
    }

    /**
     * Reads and checks everything the search needs before anything runs: the space, the
     * algorithm with its budget, the objectives (for DJL trials, that the trainer reports them),
     * the constraints, and for DJL trials the trainer and dataset sections. Any problem is a
     * located {@link ConfigException}.
     */
    public static SearchSetup from(JobConfig config, TrialSettings trial) {
        AlgorithmSettings settings = AlgorithmSettings.from(config.section("search_algorithm"));
        SearchSpace space = SearchSpace.parse(config.section("search_space"), TrainerConfig.KEYS);
        MapNode objectivesSection = config.section("objectives");
        List<Objective> objectives = Objectives.from(objectivesSection, settings.type().name());
        NetworkFacts facts = null;
        if (trial.type() == TrialSettings.Type.DJL) {
            if (!space.hasModules()) {
                MapNode section = config.section("search_space");
                throw new ConfigException(section.location(), section.path(), "the DJL trial trains a network, and this space has"
                        + " no modules; add modules, or evaluate the values with a command trial (trial: {type: command, command: [...]})");
            }
            DjlTrial.searchTrainer(config);
            Objectives.checkReported(objectivesSection, objectives, DjlTrial.METRICS, "the DJL trainer");
        }
        if (space.hasModules()) {
            DatasetConfig dataset = DatasetConfig.from(config.section("dataset"), config.directory());
            try {
                facts = new NetworkAnalysis(space, dataset.inputShape());
            } catch (InvalidCandidateException e) {
                MapNode section = config.section("search_space");
                throw new ConfigException(section.location(), section.path(),
                        "the default network does not fit the dataset's input shape: " + e.getMessage());
            }
        }
        SearchAlgorithm algorithm = SearchAlgorithms.create(settings, space.parameters(), objectives, facts, Constraints.of(config));
        int budget = algorithm.budget();
        int generations = settings.type().evolutionary() ? settings.generations()
                : (budget + settings.batchSize(budget) - 1) / settings.batchSize(budget);
        return new SearchSetup(algorithm, objectives, new SearchRun.Plan(generations, budget));
    }
}
