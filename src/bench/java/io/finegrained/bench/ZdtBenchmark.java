package io.finegrained.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.YamlLoader;
import io.finegrained.search.Algorithms;
import io.finegrained.search.SearchProblem;
import io.finegrained.search.Candidate;
import io.finegrained.search.Constraints;
import io.finegrained.search.Objective;
import io.finegrained.search.Pareto;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.TrialResult;
import io.finegrained.space.Domain;
import io.finegrained.space.ParameterSpace;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code submit/bench ZdtBenchmark [--problems zdt1,zdt2,...] [--seeds 11] [--population 40]
 * [--generations 20] [--first-seed 0] [--references deap,optuna-nsga2[,optuna-tpe]|none] [--variables 10]}
 *
 * <p>Our NSGA2 (default settings but population and generations) on the ZDT problems, driven
 * through the public ask/tell API exactly as a job drives it; the measure is the hypervolume of
 * ALL evaluated points against (1.1, 1.1), median over seeds. The reference algorithms (DEAP's
 * NSGA-II example, Optuna's NSGAIISampler and TPESampler) run in the same invocation from
 * {@code src/bench/python/zdt_reference.py} with Debian's python3-deap / python3-optuna; uniform
 * random search at the same budget is printed too, as a floor.
 */
public final class ZdtBenchmark {
    static final double[] REFERENCE = {1.1, 1.1};

    private ZdtBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        List<Zdt> problems = new ArrayList<>();
        for (String p : opt.getOrDefault("problems", "zdt1,zdt2,zdt3,zdt4,zdt6,zdt1c").split(",")) {
            problems.add(Zdt.valueOf(p.trim().toUpperCase(Locale.ROOT)));
        }
        int seeds = Integer.parseInt(opt.getOrDefault("seeds", "11"));
        int firstSeed = Integer.parseInt(opt.getOrDefault("first-seed", "0"));
        int population = Integer.parseInt(opt.getOrDefault("population", "40"));
        int generations = Integer.parseInt(opt.getOrDefault("generations", "20"));
        int variables = Integer.parseInt(opt.getOrDefault("variables", "10"));
        String references = opt.getOrDefault("references", "deap,optuna-nsga2");
        String extra = opt.getOrDefault("settings", "").replace(";", "\n");

        System.out.printf(Locale.ROOT, "ZDT benchmark: %d variables, population %d x %d generations = %d evaluations, %d seeds,"
                + " hypervolume of all evaluated points vs (1.1, 1.1), median [min, max]%n",
                variables, population, generations, population * generations, seeds);
        // problem -> algorithm -> {HV at (1.1, 1.1) per seed, HV at the box reference per seed}
        Map<String, Map<String, double[][]>> table = new LinkedHashMap<>();
        for (Zdt problem : problems) {
            long start = System.nanoTime();
            table.computeIfAbsent(problem.name(), k -> new LinkedHashMap<>())
                    .put("finegrained-nsga2", measure(problem, variables, "NSGA2", population, generations, firstSeed, seeds, extra));
            double ms = (System.nanoTime() - start) / 1e6 / seeds;
            table.get(problem.name()).put("finegrained-random", measure(problem, variables, "RandomSearch", population, generations, firstSeed, seeds, ""));
            System.out.printf(Locale.ROOT, "  %s  finegrained NSGA2: %s   box: %s   (%.0f ms per run)%n", problem,
                    summary(table.get(problem.name()).get("finegrained-nsga2")[0]),
                    summary(table.get(problem.name()).get("finegrained-nsga2")[1]), ms);
        }
        if (!references.equals("none")) {
            references(problems, references, firstSeed, seeds, population, generations, variables, table);
        }
        System.out.println();
        System.out.println("problem | algorithm | median HV (1.1, 1.1) [min, max] | seeds NSGA2 >= it"
                + " | median HV box reference [min, max] | seeds NSGA2 >= it");
        for (Map.Entry<String, Map<String, double[][]>> e : table.entrySet()) {
            double[][] ours = e.getValue().get("finegrained-nsga2");
            for (Map.Entry<String, double[][]> a : e.getValue().entrySet()) {
                double[][] v = a.getValue();
                boolean self = a.getKey().equals("finegrained-nsga2");
                System.out.printf(Locale.ROOT, "%s | %s | %s | %s | %s | %s%n", e.getKey(), a.getKey(), summary(v[0]),
                        self ? "-" : wins(ours[0], v[0]), summary(v[1]), self ? "-" : wins(ours[1], v[1]));
            }
        }
    }

    private static double[][] measure(Zdt problem, int variables, String type, int population, int generations, int firstSeed,
                                      int seeds, String extra) {
        double[][] out = new double[2][seeds];
        for (int s = 0; s < seeds; s++) {
            List<double[]> points = run(problem, variables, type, population, generations, firstSeed + s, extra);
            out[0][s] = Pareto.hypervolume2d(points, REFERENCE);
            out[1][s] = Pareto.hypervolume2d(points, problem.boxReference(variables));
        }
        return out;
    }

    private static String wins(double[] ours, double[] theirs) {
        int n = Math.min(ours.length, theirs.length);
        int wins = 0;
        for (int s = 0; s < n; s++) {
            wins += ours[s] >= theirs[s] ? 1 : 0;
        }
        return wins + "/" + n;
    }

    /** All evaluated points of one run of an algorithm of ours on a ZDT problem. */
    public static List<double[]> run(Zdt problem, int variables, String type, int population, int generations, long seed,
                                     String extraSettings) {
        Map<String, Domain> domains = new LinkedHashMap<>();
        for (int i = 0; i < variables; i++) {
            domains.put("x" + i, new Domain.FloatRange(problem.low(i), problem.high(i), false, null));
        }
        String yaml = type.equals("RandomSearch")
                ? "type: RandomSearch\nsamples: " + population * generations + "\npopulation: " + population + "\nseed: " + seed + "\n"
                : "type: " + type + "\npopulation: " + population + "\ngenerations: " + generations + "\nseed: " + seed + "\n";
        yaml += extraSettings.isBlank() ? "" : extraSettings + "\n";
        List<Objective> objectives = List.of(new Objective("f1", Objective.Direction.MIN), new Objective("f2", Objective.Direction.MIN));
        SearchAlgorithm algorithm = Algorithms.standard().generational(YamlLoader.parse(yaml, "<zdt>"),
                new SearchProblem(new ParameterSpace(domains), objectives, null, Constraints.none()));
        List<double[]> points = new ArrayList<>();
        int id = 0;
        for (int generation = 0; ; generation++) {
            List<Map<String, Object>> asked = algorithm.ask();
            if (asked.isEmpty()) {
                return points;
            }
            List<TrialResult> results = new ArrayList<>();
            for (Map<String, Object> values : asked) {
                double[] x = new double[variables];
                for (int i = 0; i < variables; i++) {
                    x[i] = (Double) values.get("x" + i);
                }
                double[] f = problem.evaluate(x);
                points.add(f);
                results.add(TrialResult.ok(new Candidate(id++, generation, values), Map.of("f1", f[0], "f2", f[1]), 0));
            }
            algorithm.tell(results);
        }
    }

    private static void references(List<Zdt> problems, String algorithms, int firstSeed, int seeds, int population, int generations,
                                   int variables, Map<String, Map<String, double[][]>> table) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("finegrained.home", "."), "src/bench/python/zdt_reference.py");
        String python = new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
        StringBuilder names = new StringBuilder();
        for (Zdt p : problems) {
            names.append(names.length() == 0 ? "" : ",").append(p.scriptName());
        }
        if (!Files.exists(script)) {
            System.out.println("reference script missing: " + script);
            return;
        }
        List<String> command = List.of(python, script.toString(), "--problems", names.toString(), "--algorithms", algorithms,
                "--seeds", String.valueOf(seeds), "--first-seed", String.valueOf(firstSeed), "--population", String.valueOf(population),
                "--generations", String.valueOf(generations), "--variables", String.valueOf(variables));
        System.out.println("references, same invocation: " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ObjectMapper json = new ObjectMapper();
        Map<String, List<double[]>> collected = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode row = json.readTree(line);
                if (row.has("missing")) {
                    System.out.println("  " + row.get("algorithm").asText() + ": not available here (" + row.get("missing").asText() + ")");
                    continue;
                }
                String key = row.get("problem").asText().toUpperCase(Locale.ROOT) + "/" + row.get("algorithm").asText();
                collected.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {row.get("hv").asDouble(), row.get("hv_box").asDouble()});
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            System.out.println("  the reference script exited with status " + exit);
        }
        for (Map.Entry<String, List<double[]>> e : collected.entrySet()) {
            String[] parts = e.getKey().split("/");
            double[][] v = new double[2][e.getValue().size()];
            for (int s = 0; s < v[0].length; s++) {
                v[0][s] = e.getValue().get(s)[0];
                v[1][s] = e.getValue().get(s)[1];
            }
            table.computeIfAbsent(parts[0], k -> new LinkedHashMap<>()).put(parts[1], v);
            System.out.printf(Locale.ROOT, "  %s  %s: %s   box: %s%n", parts[0], parts[1], summary(v[0]), summary(v[1]));
        }
    }

    static String summary(double[] v) {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", median(v), Arrays.stream(v).min().orElse(Double.NaN),
                Arrays.stream(v).max().orElse(Double.NaN));
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}
