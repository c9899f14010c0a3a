package io.finegrained.search;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.space.Domain;
import io.finegrained.space.NetworkFacts;
import io.finegrained.space.ParameterSpace;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the algorithm a job names, refusing at configuration time what it cannot run: a domain
 * it cannot handle, a module it needs and the space lacks, constraints without a network to
 * measure, a grid too large to run whole. Every refusal is a {@link ConfigException} located in
 * the {@code search_algorithm} (or {@code constraints}) section.
 */
public final class SearchAlgorithms {
    /** GridSearch without {@code samples} runs its whole grid only up to this many points. */
    public static final int MAX_WHOLE_GRID = 100_000;

    private SearchAlgorithms() {
    }

    /**
     * The algorithm of the settings over the space.
     *
     * @param facts what the network of a candidate is (null for a space without modules)
     * @param constraints limits checked on {@link NetworkFacts#measure} before a candidate is proposed
     */
    public static SearchAlgorithm create(AlgorithmSettings settings, ParameterSpace space, List<Objective> objectives,
                                         NetworkFacts facts, Constraints constraints) {
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("no objectives");
        }
        checkConstraints(constraints, facts);
        AlgorithmType type = settings.type();
        Genome genome = genome(settings, space, facts);
        CandidateGate gate = new CandidateGate(genome, facts, constraints);
        return switch (type) {
            case RandomSearch -> {
                int budget = settings.budget();
                yield new RandomSearch(genome, budget, settings.batchSize(budget), settings.seed(), gate);
            }
            case GridSearch -> grid(settings, space, genome, gate);
            case Evolution -> {
                if (objectives.size() != 1) {
                    throw settings.error("Evolution optimises one objective, " + objectives.size() + " are given ("
                            + Objectives.names(objectives) + "): use NSGA2 for several");
                }
                yield evolutionary(settings, genome, objectives, Selection.singleObjective(settings.tournamentSize()), gate);
            }
            default -> evolutionary(settings, genome, objectives, Selection.nsga2(), gate);
        };
    }

    /**
     * The genes an algorithm of these settings evolves over the space: the space's own
     * parameters, or the bit widths / keep-masks QuantEA and PruneEA open on the network.
     * Random search over a QuantEA or PruneEA encoding can use this genome (see {@link #randomOver}).
     */
    public static Genome genome(AlgorithmSettings settings, ParameterSpace space, NetworkFacts facts) {
        AlgorithmType type = settings.type();
        List<Gene> genes = new ArrayList<>();
        switch (type) {
            case QuantEA -> {
                if (facts == null || facts.quantPath() == null) {
                    throw settings.error("QuantEA searches the bit widths of a Quant process module, and this space has none"
                            + " (add a module of type Quant, as in conf/seed/resnet20_quant.yml)");
                }
                onlyOwnGenes(settings, space);
                int layers = facts.quantizableLayers();
                if (layers < 1) {
                    throw settings.error("QuantEA found no quantizable layer in the network (every convolution after the stem is one)");
                }
                genes.add(Genes.choiceList(facts.quantPath() + ".nbit_w_list", layers, settings.bitCandidates()));
                genes.add(Genes.choiceList(facts.quantPath() + ".nbit_a_list", layers, settings.bitCandidates()));
            }
            case PruneEA -> {
                if (facts == null || facts.prunePath() == null) {
                    throw settings.error("PruneEA searches the channel masks of a Prune process module, and this space has none"
                            + " (add a module of type Prune, as in conf/seed/resnet20_prune.yml)");
                }
                onlyOwnGenes(settings, space);
                List<Integer> widths = facts.prunableChannels();
                if (widths.isEmpty()) {
                    throw settings.error("PruneEA found no prunable channel group in the network");
                }
                genes.add(Genes.maskList(facts.prunePath() + ".chn_mask", widths));
            }
            default -> {
                if (space.domains().isEmpty()) {
                    throw settings.error(type.name() + " has nothing to search: the space opens no hyper-parameters"
                            + " (list them under search_space.hyper_parameters)");
                }
                for (Map.Entry<String, Domain> e : space.domains().entrySet()) {
                    if (type == AlgorithmType.BackboneNas && !(e.getValue() instanceof Domain.BinaryCode)) {
                        throw settings.error("BackboneNas evolves binary codes (where to downsample, where to double channels);"
                                + " '" + e.getKey() + "' is " + e.getValue().typeName() + ": use NSGA2 for a mixed space");
                    }
                    genes.add(Genes.of(e.getKey(), e.getValue(), type == AlgorithmType.BackboneNas));
                }
            }
        }
        return new Genome(genes);
    }

    /**
     * Uniform random search over an explicit genome, such as QuantEA's or PruneEA's: the fair
     * baseline for those algorithms at the same budget.
     */
    public static SearchAlgorithm randomOver(Genome genome, int samples, int batch, long seed, NetworkFacts facts, Constraints constraints) {
        return new RandomSearch(genome, samples, batch, seed, new CandidateGate(genome, facts, constraints));
    }

    private static void onlyOwnGenes(AlgorithmSettings settings, ParameterSpace space) {
        if (!space.domains().isEmpty()) {
            String key = space.domains().keySet().iterator().next();
            throw settings.error(settings.type().name() + " opens its own genes on the network and searches nothing else;"
                    + " the space also opens '" + key + "': remove it from search_space.hyper_parameters, or use NSGA2");
        }
    }

    private static SearchAlgorithm evolutionary(AlgorithmSettings settings, Genome genome, List<Objective> objectives,
                                                Selection selection, CandidateGate gate) {
        double rate = settings.mutationRate() != null ? settings.mutationRate() : 1.0 / Math.max(1, genome.variables());
        Variation variation = new Variation(settings.crossoverProbability(), settings.etaCrossover(), settings.etaMutation(), rate);
        return new GeneticSearch(settings.type(), genome, objectives, variation, selection, settings.populationSize(),
                settings.survivorCount(), settings.generations(), settings.seed(), gate);
    }

    private static SearchAlgorithm grid(AlgorithmSettings settings, ParameterSpace space, Genome genome, CandidateGate gate) {
        List<GridAxis> axes = new ArrayList<>();
        for (Map.Entry<String, Domain> e : space.domains().entrySet()) {
            GridAxis axis = new GridAxis(e.getKey(), e.getValue(), settings.gridPoints());
            if (axis.size() == null) {
                throw settings.errorAt("type", "GridSearch cannot enumerate " + e.getValue().typeName() + " '" + e.getKey()
                        + "' without grid_points: set search_algorithm.grid_points (points per real axis)");
            }
            axes.add(axis);
        }
        BigInteger size = GridSearch.sizeOf(axes);
        int budget;
        if (settings.samples() != null) {
            budget = size.min(BigInteger.valueOf(settings.samples())).intValueExact();
        } else if (size.compareTo(BigInteger.valueOf(MAX_WHOLE_GRID)) > 0) {
            throw settings.errorAt("type", "the grid has " + size + " points, more than " + MAX_WHOLE_GRID
                    + " to run whole: set search_algorithm.samples to run a spread-out part of it");
        } else {
            budget = size.intValueExact();
        }
        return new GridSearch(genome, axes, budget, settings.batchSize(budget), settings.seed(), gate);
    }

    private static void checkConstraints(Constraints constraints, NetworkFacts facts) {
        if (constraints.isEmpty()) {
            return;
        }
        ConfigNode first = constraints.limits().get(0).node();
        if (facts == null) {
            throw ConfigException.at(first, "constraints limit what a network measures, and this space has no modules");
        }
        for (Constraints.Limit limit : constraints.limits()) {
            if (limit.metric().equals("bitops") && facts.quantPath() == null) {
                throw ConfigException.at(limit.node(), "bitops is measured on a quantized network, and this space has no Quant module");
            }
        }
    }
}
