package io.finegrained.bench;

import io.finegrained.config.JobConfig;
import io.finegrained.config.YamlLoader;
import io.finegrained.search.Candidate;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.Objectives;
import io.finegrained.search.Algorithms;
import io.finegrained.search.Genome;
import io.finegrained.search.Genomes;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.algorithms.QuantEA;
import io.finegrained.search.algorithms.Random;
import io.finegrained.search.algorithms.SamplingSettings;
import io.finegrained.search.Generations;
import io.finegrained.search.Pareto;
import io.finegrained.search.Rng;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.TrialResult;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.NetworkFacts;
import io.finegrained.space.NetworkSummary;
import io.finegrained.space.ParameterSpace;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stand-in problems with a known optimum for BackboneNas, QuantEA and PruneEA: the network is
 * the seed's, read from its file in {@code conf/} and counted by the product's own
 * {@link NetworkAnalysis} (the one counter), the cost metric is the real MAC or bit-op count,
 * and "accuracy" is a cheap formula whose exact Pareto front against the cost is computed here by
 * enumeration or dynamic programming. The measure of a run is the hypervolume of all its
 * evaluated points divided by that of the exact front, both objectives normalised
 * ((1 - accuracy, cost / largest cost), reference point (1.1, 1.1)): 1.0 means the run found the
 * whole front.
 */
public final class StandInProblems {
    static final double[] REFERENCE = {1.1, 1.1};
    /** One CIFAR-10 sample: the input shape the seed's counts are quoted for. */
    static final long[] CIFAR = {3, 32, 32};

    private StandInProblems() {
    }

    /**
     * A space of the checkout ({@code finegrained.home}, set by the launcher, or the tests'
     * {@code project.root}).
     */
    static SearchSpace seedSpace(String relative) {
        Path root = Path.of(System.getProperty("finegrained.home", System.getProperty("project.root", ".")));
        return SearchSpace.parse(JobConfig.load(root.resolve(relative)).section("search_space"), TrainerConfig.KEYS);
    }

    static List<Integer> ints(Object value) {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            out.add(((Number) o).intValue());
        }
        return out;
    }

    /**
     * The product's counts of a problem's network, each value set counted once: the algorithm
     * measures a candidate before proposing it and the problem measures it again for its cost,
     * and expanding the module tree is what a run spends its time on.
     */
    static final class Remembered implements NetworkFacts {
        final NetworkAnalysis analysis;
        private final Map<Map<String, Object>, Object> measured = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Map<String, Object>, String> identities = new java.util.concurrent.ConcurrentHashMap<>();

        Remembered(NetworkAnalysis analysis) {
            this.analysis = analysis;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Double> measure(Map<String, Object> values) {
            Object m = measured.computeIfAbsent(Map.copyOf(values), v -> {
                try {
                    return analysis.measure(v);
                } catch (InvalidCandidateException e) {
                    return e;
                }
            });
            if (m instanceof InvalidCandidateException e) {
                throw new InvalidCandidateException(e.getMessage());
            }
            return (Map<String, Double>) m;
        }

        @Override
        public String identity(Map<String, Object> values) {
            return identities.computeIfAbsent(Map.copyOf(values), analysis::identity);
        }

        @Override
        public int quantizableLayers() {
            return analysis.quantizableLayers();
        }

        @Override
        public List<Integer> prunableChannels() {
            return analysis.prunableChannels();
        }

        @Override
        public String quantPath() {
            return analysis.quantPath();
        }

        @Override
        public String prunePath() {
            return analysis.prunePath();
        }
    }

    /** A problem: space, network, metrics of a candidate, and the exact front. */
    public interface Problem {
        String name();

        /** The type name of the algorithm it measures. */
        String algorithm();

        /** What the known optimum is, in a sentence. */
        String optimum();

        ParameterSpace space();

        NetworkFacts facts();

        /** accuracy and the cost metric of a candidate. */
        Map<String, Double> metrics(Map<String, Object> values);

        /** The cost metric ("macs" or "bitops"). */
        String cost();

        /** The largest cost over the space, to normalise. */
        double maxCost();

        /** The exact front, normalised. */
        List<double[]> exactFront();

        default double[] normalised(Map<String, Double> metrics) {
            return new double[] {1 - metrics.get("accuracy"), metrics.get(cost()) / maxCost()};
        }
    }

    /**
     * What a problem says of itself, and its network: a config file of the checkout, its open
     * parameters the problem's space, counted by the product's {@link NetworkAnalysis}.
     */
    abstract static class Described implements Problem {
        final Remembered facts;
        private final ParameterSpace space;
        private final String name;
        private final String algorithm;
        private final String optimum;
        private final String cost;

        Described(String config, String name, String algorithm, String optimum, String cost) {
            SearchSpace network = seedSpace(config);
            this.facts = new Remembered(new NetworkAnalysis(network, CIFAR));
            this.space = network.parameters();
            this.name = name;
            this.algorithm = algorithm;
            this.optimum = optimum;
            this.cost = cost;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String algorithm() {
            return algorithm;
        }

        @Override
        public String optimum() {
            return optimum;
        }

        @Override
        public ParameterSpace space() {
            return space;
        }

        @Override
        public NetworkFacts facts() {
            return facts;
        }

        @Override
        public String cost() {
            return cost;
        }
    }

    /** The problems, in the order the benchmark prints them. */
    public static List<Problem> all() {
        return List.of(new Backbone(), new Quant(), new Prune());
    }

    /**
     * HV ratio of one run: the algorithm of the problem ({@code type} = its own type, or
     * "RandomSearch" for uniform random search over the same encoding) at population × generations
     * trials with every other setting at its default.
     */
    public static double run(Problem problem, String type, int population, int generations, long seed) {
        Algorithms algorithms = Algorithms.standard();
        List<Objective> objectives = algorithms.find(problem.algorithm()).defaultObjectives();
        SearchProblem searchProblem = new SearchProblem(problem.space(), objectives, problem.facts(), Constraints.none());
        SearchAlgorithm algorithm;
        if (type.equals("RandomSearch")) {
            if (problem.algorithm().equals("BackboneNas")) {
                // Random search as a user would configure it on the same space.
                algorithm = algorithms.generational(YamlLoader.parse("type: RandomSearch\nsamples: " + population * generations
                        + "\npopulation: " + population + "\nseed: " + seed + "\n", "<stand-in>"), searchProblem);
            } else {
                // QuantEA / PruneEA genes are not in the space: random search over the same encoding.
                NetworkFacts facts = problem.facts();
                Genome genome = problem.algorithm().equals("QuantEA")
                        ? Genomes.bitWidths(facts.quantPath(), facts.quantizableLayers(), QuantEA.DEFAULT_BIT_CANDIDATES)
                        : Genomes.keepMasks(facts.prunePath(), facts.prunableChannels());
                algorithm = ((Generations) Random.over(genome, new SamplingSettings(seed, population * generations, population),
                        searchProblem)).algorithm();
            }
        } else {
            algorithm = algorithms.generational(YamlLoader.parse("type: " + problem.algorithm() + "\npopulation: " + population
                    + "\ngenerations: " + generations + "\nseed: " + seed + "\n", "<stand-in>"), searchProblem);
        }
        List<double[]> points = new ArrayList<>();
        int id = 0;
        for (int generation = 0; ; generation++) {
            List<Map<String, Object>> asked = algorithm.ask();
            if (asked.isEmpty()) {
                break;
            }
            List<TrialResult> results = new ArrayList<>();
            for (Map<String, Object> values : asked) {
                Map<String, Double> metrics = problem.metrics(values);
                points.add(problem.normalised(metrics));
                results.add(TrialResult.ok(new Candidate(id++, generation, values), metrics, 0));
            }
            algorithm.tell(results);
        }
        return Pareto.hypervolume2d(points, REFERENCE) / Pareto.hypervolume2d(problem.exactFront(), REFERENCE);
    }

    /** The non-dominated points of a two-objective set (a sort and a sweep: the sets here are large). */
    static List<double[]> nonDominated(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(java.util.Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        List<double[]> out = new ArrayList<>();
        double bestSecond = Double.POSITIVE_INFINITY;
        for (double[] p : sorted) {
            if (p[1] < bestSecond) {
                out.add(p);
                bestSecond = p[1];
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ BackboneNas

    /**
     * BackboneNas on the seed's space (both codes as the seed writes them, 8 bits each). Accuracy
     * stand-in: 0.5 + 0.5 × the fraction of the 16 bits agreeing with a hidden target code
     * (doublechannel [1,0,1,0,0,1,0,1], downsample [0,1,0,0,1,0,1,1]); cost: MACs. Exact front:
     * all 70 × 256 codes whose network is valid (doublechannel with four ones), enumerated.
     */
    public static final class Backbone extends Described {
        static final String DOUBLE = "layer.doublechannel";
        static final String DOWN = "layer.downsample";
        static final List<Integer> TARGET_DOUBLE = List.of(1, 0, 1, 0, 0, 1, 0, 1);
        static final List<Integer> TARGET_DOWN = List.of(0, 1, 0, 0, 1, 0, 1, 1);
        private double maxCost;
        private List<double[]> front;

        public Backbone() {
            super("conf/seed/backbone_nas_seed.yml", "BackboneNas on conf/seed/backbone_nas_seed.yml", "BackboneNas",
                    "exact front of (accuracy = agreement with a hidden target code, MACs) over all 17,920 valid codes", "macs");
        }

        @Override
        public Map<String, Double> metrics(Map<String, Object> values) {
            List<Integer> dc = ints(values.get(DOUBLE));
            List<Integer> ds = ints(values.get(DOWN));
            int agree = 0;
            for (int i = 0; i < 8; i++) {
                agree += (dc.get(i).equals(TARGET_DOUBLE.get(i)) ? 1 : 0) + (ds.get(i).equals(TARGET_DOWN.get(i)) ? 1 : 0);
            }
            return Map.of("accuracy", 0.5 + 0.5 * agree / 16.0, "macs", facts.measure(values).get("macs"));
        }

        @Override
        public synchronized double maxCost() {
            exactFront();
            return maxCost;
        }

        @Override
        public synchronized List<double[]> exactFront() {
            if (front == null) {
                List<Map<String, Double>> all = new ArrayList<>();
                for (int a = 0; a < 256; a++) {
                    if (Integer.bitCount(a) != 4) {
                        continue;
                    }
                    for (int b = 0; b < 256; b++) {
                        Map<String, Object> v = Map.of(DOUBLE, bits(a), DOWN, bits(b));
                        Map<String, Double> m = metrics(v);
                        all.add(m);
                        maxCost = Math.max(maxCost, m.get("macs"));
                    }
                }
                List<double[]> points = new ArrayList<>();
                for (Map<String, Double> m : all) {
                    points.add(new double[] {1 - m.get("accuracy"), m.get("macs") / maxCost});
                }
                front = nonDominated(points);
            }
            return front;
        }

        static List<Integer> bits(int code) {
            List<Integer> out = new ArrayList<>();
            for (int i = 7; i >= 0; i--) {
                out.add((code >> i) & 1);
            }
            return out;
        }
    }

    // ------------------------------------------------------------------------------------ QuantEA

    /**
     * QuantEA on the seed's ResNet-20 (conf/seed/resnet20_quant.yml), bit candidates [4, 8].
     * Accuracy stand-in: 0.92 minus, per layer, s × ((8 / w − 1) + (8 / a − 1)), with fixed
     * sensitivities s in [0.002, 0.012] (drawn once from seed 2024, doubled for the first layer
     * and the two shortcuts); cost: bit-ops. Exact front: dynamic programming over the layers
     * (bit-ops are integers, so the front of every prefix of layers is exact).
     */
    public static final class Quant extends Described {
        private final double[] sensitivity = new double[20];
        private List<double[]> front;

        public Quant() {
            super("conf/seed/resnet20_quant.yml", "QuantEA on conf/seed/resnet20_quant.yml", "QuantEA",
                    "exact front of (accuracy = 0.92 - per-layer sensitivity penalties, bit-ops) by dynamic programming over the 4^20 bit assignments", "bitops");
            Rng rng = new Rng(2024);
            for (int l = 0; l < 20; l++) {
                sensitivity[l] = 0.002 + 0.010 * rng.nextDouble();
            }
            sensitivity[0] *= 2;
            sensitivity[8] *= 2;
            sensitivity[15] *= 2;
        }

        double penalty(int layer, int w, int a) {
            return sensitivity[layer] * (Math.max(0, 8.0 / w - 1) + Math.max(0, 8.0 / a - 1));
        }

        @Override
        public Map<String, Double> metrics(Map<String, Object> values) {
            List<Integer> w = ints(values.get("process.nbit_w_list"));
            List<Integer> a = ints(values.get("process.nbit_a_list"));
            double accuracy = 0.92;
            for (int l = 0; l < 20; l++) {
                accuracy -= penalty(l, w.get(l), a.get(l));
            }
            return Map.of("accuracy", accuracy, "bitops", facts.measure(values).get("bitops"));
        }

        @Override
        public double maxCost() {
            List<Integer> eights = java.util.Collections.nCopies(20, 8);
            return facts.measure(Map.of("process.nbit_w_list", eights, "process.nbit_a_list", eights)).get("bitops");
        }

        @Override
        public synchronized List<double[]> exactFront() {
            if (front == null) {
                NetworkSummary summary = facts.analysis.defaultSummary();
                Map<String, Long> macsByPath = new HashMap<>();
                summary.rows().forEach(r -> macsByPath.put(r.name(), r.macs()));
                List<Long> macs = summary.quantizableLayers().stream().map(macsByPath::get).toList();
                long fixed = summary.macs();
                for (long m : macs) {
                    fixed -= m;
                }
                // cost (bit-ops × 1024, an integer) -> least total penalty, kept as a front.
                TreeMap<Long, Double> best = new TreeMap<>();
                best.put(fixed * 1024, 0.0);
                int[] bits = {4, 8};
                for (int l = 0; l < 20; l++) {
                    TreeMap<Long, Double> next = new TreeMap<>();
                    for (Map.Entry<Long, Double> e : best.entrySet()) {
                        for (int w : bits) {
                            for (int a : bits) {
                                long cost = e.getKey() + macs.get(l) * w * a;
                                double pen = e.getValue() + penalty(l, w, a);
                                next.merge(cost, pen, Math::min);
                            }
                        }
                    }
                    best = new TreeMap<>();
                    double lowest = Double.POSITIVE_INFINITY;
                    for (Map.Entry<Long, Double> e : next.entrySet()) {
                        if (e.getValue() < lowest) {
                            best.put(e.getKey(), e.getValue());
                            lowest = e.getValue();
                        }
                    }
                }
                double max = maxCost();
                List<double[]> points = new ArrayList<>();
                for (Map.Entry<Long, Double> e : best.entrySet()) {
                    points.add(new double[] {1 - (0.92 - e.getValue()), e.getKey() / 1024.0 / max});
                }
                front = nonDominated(points);
            }
            return front;
        }
    }

    // ------------------------------------------------------------------------------------ PruneEA

    /**
     * PruneEA on ResNet-20 with the widths of conf/seed/resnet20_quant.yml (16/32/64) and a Prune
     * module (conf/resnet20_prune_half.yml, whose own mask the search replaces): 12 channel groups, 448 channels. Accuracy stand-in: the fraction of 24 "useful" channels kept, two per group at
     * fixed positions (drawn once from seed 7); cost: MACs. Exact front: the best network keeping
     * u useful channels keeps nothing else (one channel where a group keeps no useful one), so
     * enumerating the 3^12 vectors of useful channels kept per group gives every front point.
     */
    public static final class Prune extends Described {
        private final int[][] useful = new int[12][2];
        private List<double[]> front;

        public Prune() {
            super("conf/resnet20_prune_half.yml", "PruneEA on ResNet-20 with a Prune module (conf/resnet20_prune_half.yml)", "PruneEA",
                    "exact front of (accuracy = share of 24 useful channels kept, MACs) by enumerating the 3^12 useful-channel counts", "macs");
            Rng rng = new Rng(7);
            List<Integer> widths = facts.prunableChannels();
            for (int g = 0; g < 12; g++) {
                int[] order = rng.permutation(widths.get(g));
                useful[g][0] = order[0];
                useful[g][1] = order[1];
            }
        }

        @Override
        public Map<String, Double> metrics(Map<String, Object> values) {
            List<?> masks = (List<?>) values.get("process.chn_mask");
            int kept = 0;
            for (int g = 0; g < 12; g++) {
                List<Integer> mask = ints(masks.get(g));
                kept += mask.get(useful[g][0]) + mask.get(useful[g][1]);
            }
            return Map.of("accuracy", kept / 24.0, "macs", facts.measure(values).get("macs"));
        }

        @Override
        public double maxCost() {
            return facts.analysis.defaultSummary().macs();
        }

        @Override
        public synchronized List<double[]> exactFront() {
            if (front == null) {
                double[] least = new double[25];
                java.util.Arrays.fill(least, Double.POSITIVE_INFINITY);
                List<Integer> widths = facts.prunableChannels();
                // Each group keeps max(1, u) channels: 2^12 networks to count, each counted once.
                Map<Integer, Double> macsOfKept = new HashMap<>();
                for (int code = 0; code < 531_441; code++) {
                    int c = code;
                    int total = 0;
                    int twos = 0;
                    for (int g = 0; g < 12; g++) {
                        int u = c % 3;
                        c /= 3;
                        total += u;
                        twos |= (u == 2 ? 1 : 0) << g;
                    }
                    double macs = macsOfKept.computeIfAbsent(twos, t -> keeping(widths, t));
                    least[total] = Math.min(least[total], macs);
                }
                List<double[]> points = new ArrayList<>();
                for (int total = 0; total <= 24; total++) {
                    points.add(new double[] {1 - total / 24.0, least[total] / maxCost()});
                }
                front = nonDominated(points);
            }
            return front;
        }

        /** MACs of the network whose group g keeps its first two channels where bit g of {@code twos} is set, else its first one. */
        private double keeping(List<Integer> widths, int twos) {
            List<List<Integer>> mask = new ArrayList<>();
            for (int g = 0; g < widths.size(); g++) {
                int keep = (twos >> g & 1) == 1 ? 2 : 1;
                List<Integer> m = new ArrayList<>(java.util.Collections.nCopies(widths.get(g), 0));
                for (int i = 0; i < keep; i++) {
                    m.set(i, 1);
                }
                mask.add(m);
            }
            return facts.measure(Map.of("process.chn_mask", mask)).get("macs");
        }
    }
}
