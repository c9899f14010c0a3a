package io.finegrained.bench;

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
import io.finegrained.space.Domain;
import io.finegrained.space.NetworkFacts;
import io.finegrained.space.ParameterSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stand-in problems with a known optimum for BackboneNas, QuantEA and PruneEA: the network is
 * the seed's (through {@link StandInNetworks}), the cost metric is the real MAC or bit-op count,
 * and "accuracy" is a cheap formula whose exact Pareto front against the cost is computed here by
 * enumeration or dynamic programming. The measure of a run is the hypervolume of all its
 * evaluated points divided by that of the exact front, both objectives normalised
 * ((1 - accuracy, cost / largest cost), reference point (1.1, 1.1)): 1.0 means the run found the
 * whole front.
 */
public final class StandInProblems {
    static final double[] REFERENCE = {1.1, 1.1};

    private StandInProblems() {
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
    public static final class Backbone implements Problem {
        static final List<Integer> TARGET_DOUBLE = List.of(1, 0, 1, 0, 0, 1, 0, 1);
        static final List<Integer> TARGET_DOWN = List.of(0, 1, 0, 0, 1, 0, 1, 1);
        private final StandInNetworks.VariantLayer facts = new StandInNetworks.VariantLayer();
        private double maxCost;
        private List<double[]> front;

        @Override
        public String name() {
            return "BackboneNas on conf/seed/backbone_nas_seed.yml";
        }

        @Override
        public String algorithm() {
            return "BackboneNas";
        }

        @Override
        public String optimum() {
            return "exact front of (accuracy = agreement with a hidden target code, MACs) over all 17,920 valid codes";
        }

        @Override
        public ParameterSpace space() {
            Map<String, Domain> d = new LinkedHashMap<>();
            d.put(StandInNetworks.VariantLayer.DOUBLE, new Domain.BinaryCode(8, null, StandInNetworks.VariantLayer.DEFAULT_DOUBLE));
            d.put(StandInNetworks.VariantLayer.DOWN, new Domain.BinaryCode(8, null, StandInNetworks.VariantLayer.DEFAULT_DOWN));
            return new ParameterSpace(d);
        }

        @Override
        public NetworkFacts facts() {
            return facts;
        }

        @Override
        public Map<String, Double> metrics(Map<String, Object> values) {
            List<Integer> dc = StandInNetworks.ints(values.get(StandInNetworks.VariantLayer.DOUBLE));
            List<Integer> ds = StandInNetworks.ints(values.get(StandInNetworks.VariantLayer.DOWN));
            int agree = 0;
            for (int i = 0; i < 8; i++) {
                agree += (dc.get(i).equals(TARGET_DOUBLE.get(i)) ? 1 : 0) + (ds.get(i).equals(TARGET_DOWN.get(i)) ? 1 : 0);
            }
            return Map.of("accuracy", 0.5 + 0.5 * agree / 16.0, "macs", facts.measure(values).get("macs"));
        }

        @Override
        public String cost() {
            return "macs";
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
                        Map<String, Object> v = Map.of(StandInNetworks.VariantLayer.DOUBLE, bits(a), StandInNetworks.VariantLayer.DOWN, bits(b));
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
    public static final class Quant implements Problem {
        private final StandInNetworks.ResNet20 facts = new StandInNetworks.ResNet20(true);
        private final double[] sensitivity = new double[20];
        private List<double[]> front;

        public Quant() {
            Rng rng = new Rng(2024);
            for (int l = 0; l < 20; l++) {
                sensitivity[l] = 0.002 + 0.010 * rng.nextDouble();
            }
            sensitivity[0] *= 2;
            sensitivity[8] *= 2;
            sensitivity[15] *= 2;
        }

        @Override
        public String name() {
            return "QuantEA on conf/seed/resnet20_quant.yml";
        }

        @Override
        public String algorithm() {
            return "QuantEA";
        }

        @Override
        public String optimum() {
            return "exact front of (accuracy = 0.92 - per-layer sensitivity penalties, bit-ops) by dynamic programming over the 4^20 bit assignments";
        }

        @Override
        public ParameterSpace space() {
            return new ParameterSpace(Map.of());
        }

        @Override
        public NetworkFacts facts() {
            return facts;
        }

        double penalty(int layer, int w, int a) {
            return sensitivity[layer] * (Math.max(0, 8.0 / w - 1) + Math.max(0, 8.0 / a - 1));
        }

        @Override
        public Map<String, Double> metrics(Map<String, Object> values) {
            List<Integer> w = StandInNetworks.ints(values.get("process.nbit_w_list"));
            List<Integer> a = StandInNetworks.ints(values.get("process.nbit_a_list"));
            double accuracy = 0.92;
            for (int l = 0; l < 20; l++) {
                accuracy -= penalty(l, w.get(l), a.get(l));
            }
            return Map.of("accuracy", accuracy, "bitops", facts.measure(values).get("bitops"));
        }

        @Override
        public String cost() {
            return "bitops";
        }

        @Override
        public double maxCost() {
            List<Integer> eights = java.util.Collections.nCopies(20, 8);
            return facts.measure(Map.of("process.nbit_w_list", eights, "process.nbit_a_list", eights)).get("bitops");
        }

        @Override
        public synchronized List<double[]> exactFront() {
            if (front == null) {
                List<Long> macs = StandInNetworks.ResNet20.quantizableMacs();
                long fixed = 40_813_184L;
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
     * module: 12 channel groups, 448 channels. Accuracy stand-in: the fraction of 24 "useful" channels kept, two per group at
     * fixed positions (drawn once from seed 7); cost: MACs. Exact front: the best network keeping
     * u useful channels keeps nothing else (one channel where a group keeps no useful one), so
     * enumerating the 3^12 vectors of useful channels kept per group gives every front point.
     */
    public static final class Prune implements Problem {
        private final StandInNetworks.ResNet20 facts = new StandInNetworks.ResNet20(false);
        private final int[][] useful = new int[12][2];
        private List<double[]> front;

        public Prune() {
            Rng rng = new Rng(7);
            List<Integer> widths = facts.prunableChannels();
            for (int g = 0; g < 12; g++) {
                int[] order = rng.permutation(widths.get(g));
                useful[g][0] = order[0];
                useful[g][1] = order[1];
            }
        }

        @Override
        public String name() {
            return "PruneEA on ResNet-20 (resnet20_quant.yml's widths) with a Prune module";
        }

        @Override
        public String algorithm() {
            return "PruneEA";
        }

        @Override
        public String optimum() {
            return "exact front of (accuracy = share of 24 useful channels kept, MACs) by enumerating the 3^12 useful-channel counts";
        }

        @Override
        public ParameterSpace space() {
            return new ParameterSpace(Map.of());
        }

        @Override
        public NetworkFacts facts() {
            return facts;
        }

        @Override
        public Map<String, Double> metrics(Map<String, Object> values) {
            List<?> masks = (List<?>) values.get("process.chn_mask");
            int kept = 0;
            for (int g = 0; g < 12; g++) {
                List<Integer> mask = StandInNetworks.ints(masks.get(g));
                kept += mask.get(useful[g][0]) + mask.get(useful[g][1]);
            }
            return Map.of("accuracy", kept / 24.0, "macs", facts.measure(values).get("macs"));
        }

        @Override
        public String cost() {
            return "macs";
        }

        @Override
        public double maxCost() {
            return 40_813_184.0;
        }

        @Override
        public synchronized List<double[]> exactFront() {
            if (front == null) {
                double[] least = new double[25];
                java.util.Arrays.fill(least, Double.POSITIVE_INFINITY);
                int[] u = new int[12];
                long[] kept = new long[12];
                for (int code = 0; code < 531_441; code++) {
                    int c = code;
                    int total = 0;
                    for (int g = 0; g < 12; g++) {
                        u[g] = c % 3;
                        c /= 3;
                        total += u[g];
                        kept[g] = Math.max(1, u[g]);
                    }
                    long[] macs = {0};
                    StandInNetworks.ResNet20.walk(kept, (m, name) -> macs[0] += m);
                    least[total] = Math.min(least[total], macs[0]);
                }
                List<double[]> points = new ArrayList<>();
                for (int total = 0; total <= 24; total++) {
                    points.add(new double[] {1 - total / 24.0, least[total] / maxCost()});
                }
                front = nonDominated(points);
            }
            return front;
        }
    }

}
