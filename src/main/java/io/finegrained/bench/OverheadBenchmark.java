package io.finegrained.bench;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.TrialResult;
import io.finegrained.spark.Journal;
import io.finegrained.spark.Progress;
import io.finegrained.spark.RunDirectory;
import io.finegrained.spark.SearchRun;
import io.finegrained.spark.SparkSettings;
import io.finegrained.spark.SparkTrialEvaluator;
import io.finegrained.trial.CommandTrial;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Orchestration overhead of the search driver: one generation of command trials that each sleep
 * a fixed time, on a fixed number of Spark task slots (local[slots]), run through the real
 * driver loop (Spark job, per-task result delivery, journal fsync, progress). Prints the wall
 * time over the ideal, ideal = sum of the trials' own measured times / slots, and over the
 * nominal ideal (trials × sleep / slots). Goal: ≤ 1.05.
 *
 * <pre>submit/bench OverheadBenchmark [sleep_s=2] [trials=8] [slots=2] [repeats=3]</pre>
 */
public final class OverheadBenchmark {
    private OverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double sleep = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int slots = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path work = Files.createTempDirectory("overhead-bench");
        JobConfig config = JobConfig.parse("search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n",
                work.resolve("bench.yml"));

        long startSpark = System.nanoTime();
        SparkSession spark = new SparkSettings(null, Map.of()).start("local[" + slots + "]", "overhead benchmark", false); // command trials
        double sparkStart = (System.nanoTime() - startSpark) / 1e9;
        System.out.printf(Locale.ROOT, "Spark local[%d] started in %.2f s%n", slots, sparkStart);
        generation(spark, config, work.resolve("warm-up"), 0.1, slots); // first job: class loading, task serialisation

        double[] ratios = new double[repeats];
        double[] nominalRatios = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            Path dir = work.resolve("run-" + i);
            long start = System.nanoTime();
            generation(spark, config, dir, sleep, trials);
            double wall = (System.nanoTime() - start) / 1e9;
            double sum = Journal.read(dir.resolve(Journal.FILE_NAME)).stream().mapToDouble(TrialResult::seconds).sum();
            double ideal = sum / slots;
            double nominal = trials * sleep / slots;
            ratios[i] = wall / ideal;
            nominalRatios[i] = wall / nominal;
            System.out.printf(Locale.ROOT, "repeat %d: wall %.3f s, trials' own time %.3f s, ideal %.3f s -> %.4f"
                    + " (nominal ideal %.3f s -> %.4f); overhead per trial %.0f ms%n",
                    i + 1, wall, sum, ideal, ratios[i], nominal, nominalRatios[i], (wall - ideal) * slots / trials * 1000);
        }
        Arrays.sort(ratios);
        Arrays.sort(nominalRatios);
        System.out.printf(Locale.ROOT, "median wall / ideal = %.4f, wall / nominal ideal = %.4f (%d trials x %.1f s on %d slots, goal <= 1.05)%n",
                ratios[repeats / 2], nominalRatios[repeats / 2], trials, sleep, slots);
        spark.stop();
    }

    /** One generation of {@code count} sleeping trials through the real driver loop. */
    private static void generation(SparkSession spark, JobConfig config, Path dir, double sleep, int count) throws Exception {
        List<Objective> objectives = List.of(new Objective("t", Objective.Direction.MIN));
        String script = String.format(Locale.ROOT, "sleep %s; echo '{\"t\": %s}'", sleep, sleep);
        CommandTrial trial = new CommandTrial(List.of("/bin/sh", "-c", script), 600, dir.resolve("trials").toString());
        try (RunDirectory directory = RunDirectory.open(dir, config, false)) {
            Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), objectives, 1, count);
            new SearchRun(new OneGeneration(count), objectives, directory, () -> new SparkTrialEvaluator(spark, trial), 1.0, quiet).run();
        }
    }

    /** Asks {@code size} candidates once. */
    private static final class OneGeneration implements SearchAlgorithm {
        private final int size;
        private boolean asked;

        OneGeneration(int size) {
            this.size = size;
        }

        @Override
        public List<Map<String, Object>> ask() {
            if (asked) {
                return List.of();
            }
            asked = true;
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                out.add(Map.of("x", i / (double) size));
            }
            return out;
        }

        @Override
        public void tell(List<TrialResult> results) {
        }

        @Override
        public int budget() {
            return size;
        }
    }
}
