package io.finegrained.job;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.config.MapNode;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.search.AlgorithmProvider;
import io.finegrained.search.AlgorithmSection;
import io.finegrained.search.Algorithms;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.Objectives;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkFacts;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.TrainerConfig;
import io.finegrained.trial.DjlTrial;
import io.finegrained.trial.TrialSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * A job file, every section read and checked once: the space, the algorithm (its provider and
 * section), the objectives, the constraints, the trial, and for DJL trials the trainer and the
 * dataset. Any problem is a located {@link ConfigException} when the job is made, never mid-run.
 * Immutable: {@link #with} gives a new job with a dotted override, checked like the file; a job
 * gives a fresh {@link Searcher} per {@link #newSearcher()} (resume replays into a fresh one).
 *
 * <p>The {@code spark} section is read by the driver that starts Spark ({@code io.finegrained.spark}).
 */
public final class Job {
    private final JobConfig config;
    private final Algorithms algorithms;
    private final SearchSpace space;
    private final AlgorithmProvider algorithm;
    private final List<Objective> objectives;
    private final Constraints constraints;
    private final TrialSettings trial;
    private final TrainerConfig trainer;
    private final DatasetConfig dataset;
    private final NetworkFacts facts;
    private final int budget;
    private final int plannedBatches;

    private Job(JobConfig config, Algorithms algorithms) {
        this.config = config;
        this.algorithms = algorithms;
        MapNode algorithmSection = config.section("search_algorithm");
        this.algorithm = algorithms.select(algorithmSection);
        this.space = SearchSpace.parse(config.section("search_space"), TrainerConfig.KEYS);
        MapNode objectivesSection = config.section("objectives");
        this.objectives = Objectives.from(objectivesSection, algorithm);
        this.trial = TrialSettings.from(config);
        if (trial.type() == TrialSettings.Type.DJL) {
            if (!space.hasModules()) {
                MapNode section = config.section("search_space");
                throw new ConfigException(section.location(), section.path(), "the DJL trial trains a network, and this space has"
                        + " no modules; add modules, or evaluate the values with a command trial (trial: {type: command, command: [...]})");
            }
            this.trainer = DjlTrial.searchTrainer(config);
            Objectives.checkReported(objectivesSection, objectives, DjlTrial.METRICS, "the DJL trainer");
        } else {
            this.trainer = null;
        }
        if (space.hasModules()) {
            this.dataset = DatasetConfig.from(config);
            try {
                this.facts = new NetworkAnalysis(space, dataset.inputShape());
            } catch (InvalidCandidateException e) {
                MapNode section = config.section("search_space");
                throw new ConfigException(section.location(), section.path(),
                        "the default network does not fit the dataset's input shape: " + e.getMessage());
            }
        } else {
            this.dataset = null;
            this.facts = null;
        }
        this.constraints = Constraints.of(config);
        Searcher first = newSearcher(); // the provider's refusals, now rather than when the run starts
        this.budget = first.budget();
        this.plannedBatches = first.plannedBatches();
    }

    /** Loads and checks a job file. */
    public static Job load(Path file) {
        return of(JobConfig.load(file));
    }

    /** A job written as a string; relative paths resolve against {@code baseDir}, errors name {@code <string>}. */
    public static Job fromString(String yaml, Path baseDir) {
        return of(JobConfig.fromString(yaml, baseDir));
    }

    /** Checks a loaded job file, with the algorithms on the classpath. */
    public static Job of(JobConfig config) {
        return new Job(config, Algorithms.standard());
    }

    /** Checks a loaded job file with the given algorithms (a test's or a notebook's own registry). */
    public static Job of(JobConfig config, Algorithms algorithms) {
        return new Job(config, algorithms);
    }

    /**
     * This job with the value at a dotted key ({@code search_algorithm.population}), checked like
     * the file; an error in it names the override, {@code with("search_algorithm.population")}.
     */
    public Job with(String key, Object value) {
        return new Job(config.with(key, value), algorithms);
    }

    /** A fresh searcher, not yet asked: same settings, same seed, so a replay rebuilds the same state. */
    public Searcher newSearcher() {
        return algorithm.create(new AlgorithmSection(config.section("search_algorithm")),
                new SearchProblem(space.parameters(), objectives, facts, constraints));
    }

    /** The job file as loaded (text and located tree), overrides applied. */
    public JobConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public SearchSpace space() {
        return space;
    }

    public AlgorithmProvider algorithm() {
        return algorithm;
    }

    public List<Objective> objectives() {
        return objectives;
    }

    public Constraints constraints() {
        return constraints;
    }

    public TrialSettings trial() {
        return trial;
    }

    /** The trainer of DJL trials; null for command trials. */
    public TrainerConfig trainer() {
        return trainer;
    }

    /** The dataset of a space with modules; null for a space without. */
    public DatasetConfig dataset() {
        return dataset;
    }

    /** What the networks measure; null for a space without modules. */
    public NetworkFacts facts() {
        return facts;
    }

    /** The most trials the algorithm proposes. */
    public int budget() {
        return budget;
    }

    /** The batches (generations) the algorithm plans, 0 when it does not know. */
    public int plannedBatches() {
        return plannedBatches;
    }
}
