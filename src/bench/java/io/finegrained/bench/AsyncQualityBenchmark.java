package io.finegrained.bench;

import io.finegrained.config.YamlLoader;
import io.finegrained.search.Algorithms;
import io.finegrained.search.Candidate;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.Pareto;
import io.finegrained.search.Rng;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Searcher;
import io.finegrained.search.TrialResult;
import io.finegrained.search.async.AsyncLoop;
import io.finegrained.search.async.LoopEvent;
import io.finegrained.search.async.SimulatedCluster;
import io.finegrained.space.Domain;
import io.finegrained.space.ParameterSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code submit/bench AsyncQualityBenchmark [--seeds 51] [--slots 8,40] [--cell-seeds 51] [--cell-budgets 100,300,1000]
 * [--cell-noise 0.005]} ({@code --seeds 0} leaves the ZDT part out)
 *
 * <p>Does asynchrony cost quality? Part 1: AsyncNSGA2 (population 40, 800 trials) against the
 * generational NSGA2 (40 × 20 generations, through {@link ZdtBenchmark#run}) on ZDT1 and ZDT3 with
 * 10 variables, the hypervolume of all evaluated points against (1.1, 1.1), median over the
 * seeds; the asynchronous runs go through the {@link AsyncLoop} on a simulated cluster of
 * {@code --slots} slots whose trials last 1–4× a base time (a hash of the candidate), so
 * results come back out of order as on a real cluster. DEAP is not installed on this machine
 * (no python3-deap), so its NSGA-II is not in the table; ZdtBenchmark compares ours with it where
 * it is.
 *
 * <p>Part 2: AgingEvolution (P 20, S 5; P 10, S 3; P 50, S 10 from 500 evaluations), the
 * generational Evolution (populations 20 and 10) and random search, at each budget of
 * {@code --cell-budgets} (100 unless given), on a cell-style space: six edges of a four-node cell (0→1, 0→2,
 * 1→2, 0→3, 1→3, 2→3), each one of five operations (none, skip, conv1x1, conv3x3, avgpool), 15,625
 * cells, with {@link #cellAccuracy a synthetic accuracy}, optionally seen through Gaussian noise
 * ({@code --cell-noise}, an sd; see {@link Observer}); the measure is the true accuracy of the best
 * cell a run saw (and its regret to the optimum, found by enumeration), median over the seeds.
 */
public final class AsyncQualityBenchmark {
    static final List<String> OPS = List.of("none", "skip", "conv1x1", "conv3x3", "avgpool");
    static final int[][] EDGES = {{0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}};
    /** Per-edge operation weights and pairwise interactions: a fixed table (its own seed, 201), not the search's. */
    static final double[][] WEIGHT = new double[6][5];
    static final double[][][][] PAIR = new double[6][6][5][5];

    static {
        Rng table = new Rng(201);
        for (int e = 0; e < 6; e++) {
            for (int o = 0; o < 5; o++) {
                WEIGHT[e][o] = 0.04 * table.nextDouble();
            }
        }
        for (int e = 0; e < 6; e++) {
            for (int f = e + 1; f < 6; f++) {
                for (int a = 0; a < 5; a++) {
                    for (int b = 0; b < 5; b++) {
                        PAIR[e][f][a][b] = 0.02 * (table.nextDouble() - 0.5);
                    }
                }
            }
        }
    }

    static int asyncPopulation = 20;

    private AsyncQualityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = ZdtBenchmark.options(args);
        int seeds = Integer.parseInt(opt.getOrDefault("seeds", "51"));
        int cellSeeds = Integer.parseInt(opt.getOrDefault("cell-seeds", "51"));
        String[] slotList = opt.getOrDefault("slots", "8,40").split(",");
        asyncPopulation = Integer.parseInt(opt.getOrDefault("async-population", "20"));
        List<Zdt> problems = seeds > 0 ? List.of(Zdt.ZDT1, Zdt.ZDT3) : List.of();
        System.out.printf(Locale.ROOT, "Part 1: ZDT, 10 variables, 800 evaluations, %d seeds, HV of all evaluated points vs (1.1, 1.1)%n", seeds);
        System.out.println("problem | algorithm | median HV [min, max] | seeds >= generational median");
        for (Zdt problem : problems) {
            double[] generational = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                generational[s] = Pareto.hypervolume2d(ZdtBenchmark.run(problem, 10, "NSGA2", 40, 20, s, ""), ZdtBenchmark.REFERENCE);
            }
            double gm = ZdtBenchmark.median(generational);
            System.out.printf(Locale.ROOT, "%s | generational NSGA2 40 x 20 | %s | -%n", problem, ZdtBenchmark.summary(generational));
            for (String sl : slotList) {
                int slots = Integer.parseInt(sl.trim());
                double[] async = new double[seeds];
                for (int s = 0; s < seeds; s++) {
                    async[s] = Pareto.hypervolume2d(asyncZdt(problem, slots, s), ZdtBenchmark.REFERENCE);
                }
                System.out.printf(Locale.ROOT, "%s | AsyncNSGA2 %d, 800 trials, %d slots | %s | %d/%d%n", problem, asyncPopulation, slots,
                        ZdtBenchmark.summary(async), Arrays.stream(async).filter(v -> v >= gm).count(), seeds);
            }
        }

        double optimum = optimum();
        double noise = Double.parseDouble(opt.getOrDefault("cell-noise", "0"));
        for (String budgetText : opt.getOrDefault("cell-budgets", "100").split(",")) {
            int n = Integer.parseInt(budgetText.trim());
            System.out.printf(Locale.ROOT, "%nPart 2: cell space (6 edges x 5 operations, 15,625 cells), %d evaluations, %d seeds,"
                    + " evaluation noise sd %.4f; true accuracy of the best cell seen (by its observed accuracy), optimum %.4f%n", n,
                    cellSeeds, noise, optimum);
            System.out.println("algorithm | median best [min, max] | median regret | seeds finding the optimum");
            Map<String, Function<Integer, Double>> contenders = new LinkedHashMap<>();
            contenders.put("AgingEvolution P 20, S 5 (4 slots)", s -> asyncCell(aging(20, 5, n, s), 4, s, noise));
            contenders.put("AgingEvolution P 20, S 5 (1 slot)", s -> asyncCell(aging(20, 5, n, s), 1, s, noise));
            contenders.put("AgingEvolution P 10, S 3 (4 slots)", s -> asyncCell(aging(10, 3, n, s), 4, s, noise));
            if (n >= 500) {
                contenders.put("AgingEvolution P 50, S 10 (4 slots)", s -> asyncCell(aging(50, 10, n, s), 4, s, noise));
            }
            contenders.put("Evolution 20 x " + n / 20 + " generations",
                    s -> generationalCell("type: Evolution\npopulation: 20\ngenerations: " + n / 20 + "\nseed: " + s + "\n", s, noise));
            contenders.put("Evolution 10 x " + n / 10 + " generations",
                    s -> generationalCell("type: Evolution\npopulation: 10\ngenerations: " + n / 10 + "\nseed: " + s + "\n", s, noise));
            contenders.put("RandomSearch " + n, s -> generationalCell("type: RandomSearch\nsamples: " + n + "\nseed: " + s + "\n", s, noise));
            for (Map.Entry<String, Function<Integer, Double>> c : contenders.entrySet()) {
                double[] best = new double[cellSeeds];
                int hits = 0;
                for (int s = 0; s < cellSeeds; s++) {
                    best[s] = c.getValue().apply(s);
                    hits += best[s] >= optimum - 1e-12 ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "%s | %s | %.4f | %d/%d%n", c.getKey(), ZdtBenchmark.summary(best),
                        optimum - ZdtBenchmark.median(best), hits, cellSeeds);
            }
        }
    }

    static String aging(int population, int sample, int budget, int seed) {
        return "type: AgingEvolution\npopulation: " + population + "\nsample: " + sample + "\nsamples: " + budget + "\nseed: " + seed + "\n";
    }

    /**
     * What a search sees of a cell: its accuracy plus, when {@code sd} > 0, Gaussian noise drawn
     * per evaluation from the run's own stream (seed-to-seed training noise, as one training run
     * of a tabular benchmark gives); the run is judged by the true accuracy of the cell it saw as
     * best, as the tabular benchmarks' protocol does.
     */
    static final class Observer {
        private final java.util.Random noise;
        private final double sd;
        private double bestSeen = Double.NEGATIVE_INFINITY;
        private double trueOfBest = Double.NEGATIVE_INFINITY;

        Observer(long seed, double sd) {
            this.noise = new java.util.Random(seed * 7919 + 17);
            this.sd = sd;
        }

        double observe(Map<String, Object> values) {
            double truth = cellAccuracy(values);
            double seen = sd > 0 ? truth + sd * noise.nextGaussian() : truth;
            if (seen > bestSeen) {
                bestSeen = seen;
                trueOfBest = truth;
            }
            return seen;
        }

        double result() {
            return trueOfBest;
        }
    }

    /** All evaluated points of AsyncNSGA2 on a ZDT problem, through the loop on a simulated cluster. */
    static List<double[]> asyncZdt(Zdt problem, int slots, long seed) {
        Map<String, Domain> domains = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            domains.put("x" + i, new Domain.FloatRange(problem.low(i), problem.high(i), false, null));
        }
        List<Objective> objectives = List.of(new Objective("f1", Objective.Direction.MIN), new Objective("f2", Objective.Direction.MIN));
        Searcher searcher = Algorithms.standard().create(YamlLoader.parse("type: AsyncNSGA2\npopulation: " + asyncPopulation + "\nsamples: 800\nseed: " + seed + "\n",
                "<zdt>"), new SearchProblem(new ParameterSpace(domains), objectives, null, Constraints.none()));
        List<double[]> points = new ArrayList<>();
        runLoop(searcher, slots, values -> {
            double[] x = new double[10];
            for (int i = 0; i < 10; i++) {
                x[i] = ((Number) values.get("x" + i)).doubleValue();
            }
            double[] f = problem.evaluate(x);
            return Map.of("f1", f[0], "f2", f[1]);
        }, r -> points.add(new double[] {r.metrics().get("f1"), r.metrics().get("f2")}));
        return points;
    }

    static ParameterSpace cellSpace() {
        Map<String, Domain> d = new LinkedHashMap<>();
        for (int[] e : EDGES) {
            d.put("edge" + e[0] + e[1], new Domain.Category(new ArrayList<>(OPS), null));
        }
        return new ParameterSpace(d);
    }

    static final List<Objective> ACCURACY = List.of(new Objective("accuracy", Objective.Direction.MAX));

    static double asyncCell(String yaml, int slots, long seed, double sd) {
        Searcher searcher = Algorithms.standard().create(YamlLoader.parse(yaml, "<cell>"),
                new SearchProblem(cellSpace(), ACCURACY, null, Constraints.none()));
        Observer observer = new Observer(seed, sd);
        runLoop(searcher, slots, values -> Map.of("accuracy", observer.observe(values)), r -> { });
        return observer.result();
    }

    static double generationalCell(String yaml, long seed, double sd) {
        SearchAlgorithm algorithm = Algorithms.standard().generational(YamlLoader.parse(yaml, "<cell>"),
                new SearchProblem(cellSpace(), ACCURACY, null, Constraints.none()));
        Observer observer = new Observer(seed, sd);
        int id = 0;
        for (int g = 0; ; g++) {
            List<Map<String, Object>> asked = algorithm.ask();
            if (asked.isEmpty()) {
                return observer.result();
            }
            List<TrialResult> results = new ArrayList<>();
            for (Map<String, Object> v : asked) {
                results.add(TrialResult.ok(new Candidate(id++, g, v), Map.of("accuracy", observer.observe(v)), 0));
            }
            algorithm.tell(results);
        }
    }

    /** Runs a searcher to the end on a simulated cluster whose trials last 1–4 time units (a hash of the values). */
    static void runLoop(Searcher searcher, int slots, Function<Map<String, Object>, Map<String, Double>> evaluate,
                        java.util.function.Consumer<TrialResult> onResult) {
        SimulatedCluster.Model model = new SimulatedCluster.Model() {
            @Override
            public int fullResource() {
                return 1;
            }

            @Override
            public double seconds(Candidate trial, int from, int to) {
                long h = trial.hyperparameters().toString().hashCode() * 0x9E3779B97F4A7C15L;
                return 1 + 3 * ((h >>> 11) * 0x1.0p-53);
            }

            @Override
            public Map<String, Double> metrics(Candidate trial, int resource) {
                return evaluate.apply(trial.hyperparameters());
            }
        };
        try {
            new AsyncLoop(searcher, new SimulatedCluster(slots, model), e -> {
                if (e instanceof LoopEvent.Finished f && f.result().isOk()) {
                    onResult.accept(f.result());
                }
            }).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The synthetic accuracy of a cell, documented in docs/async-search.md: 0.10 (chance) when no
     * path of non-"none" edges joins the input (node 0) to the output (node 3); else 0.60, plus per
     * edge a weight of its operation (a fixed table in [0, 0.04)), plus for every pair of edges an
     * interaction of their two operations (in ±0.01), plus 0.03 per convolution on the longest path
     * of convolutions from input to output, minus 0.05 when the cell has no convolution at all.
     */
    static double cellAccuracy(Map<String, Object> values) {
        int[] op = new int[6];
        for (int e = 0; e < 6; e++) {
            op[e] = OPS.indexOf(values.get("edge" + EDGES[e][0] + EDGES[e][1]).toString());
        }
        // reachability and the longest convolution path, node by node (the cell is a DAG in order)
        boolean[] reach = new boolean[4];
        int[] convDepth = new int[4];
        reach[0] = true;
        for (int node = 1; node < 4; node++) {
            convDepth[node] = Integer.MIN_VALUE;
            for (int e = 0; e < 6; e++) {
                if (EDGES[e][1] == node && reach[EDGES[e][0]] && op[e] != 0) {
                    reach[node] = true;
                    int conv = op[e] == 2 || op[e] == 3 ? 1 : 0;
                    convDepth[node] = Math.max(convDepth[node], convDepth[EDGES[e][0]] + conv);
                }
            }
        }
        if (!reach[3]) {
            return 0.10;
        }
        double a = 0.60 + 0.03 * convDepth[3];
        boolean anyConv = false;
        for (int e = 0; e < 6; e++) {
            a += WEIGHT[e][op[e]];
            anyConv |= op[e] == 2 || op[e] == 3;
            for (int f = e + 1; f < 6; f++) {
                a += PAIR[e][f][op[e]][op[f]];
            }
        }
        return anyConv ? a : a - 0.05;
    }

    /** The best accuracy of the 15,625 cells. */
    static double optimum() {
        double best = Double.NEGATIVE_INFINITY;
        int[] op = new int[6];
        for (int code = 0; code < 15_625; code++) {
            int c = code;
            Map<String, Object> v = new LinkedHashMap<>();
            for (int e = 0; e < 6; e++) {
                op[e] = c % 5;
                c /= 5;
                v.put("edge" + EDGES[e][0] + EDGES[e][1], OPS.get(op[e]));
            }
            best = Math.max(best, cellAccuracy(v));
        }
        return best;
    }
}
