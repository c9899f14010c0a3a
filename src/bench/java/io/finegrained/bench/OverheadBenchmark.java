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
 *
 * <p>{@code submit/bench OverheadBenchmark djl [trials=8]}: the fixed cost of a DJL trial. In a
 * fresh JVM it times the one-time costs (engine warm-up, loading the embedded data), then runs
 * a generation of one-epoch trials of the quick start's network (conf/backbone_nas.yml's
 * default) on {@code local[1]} through the real driver, and splits each trial's wall time into
 * training, the trial's own fixed part (resolving and building the network, scoring, latency,
 * export) and the driver's part (Spark task, result delivery, journal).
 */
public final class OverheadBenchmark {
    private OverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("djl")) {
            djl(args.length > 1 ? Integer.parseInt(args[1]) : 8);
            return;
        }
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

    private static final String QUICK_START_NETWORK = String.join("\n",
            "search_space:",
            "  modules: ['init', 'layer', 'head']",
            "  init: {type: SmallInputInitialBlock, init_plane: 4}",
            "  layer: {type: VariantLayer, block: {type: BasicBlock}, in_plane: 4, expansion: 1,",
            "          doublechannel: [0, 1, 0, 1, 0], downsample: [1, 0, 1, 0, 0]}",
            "  head: {type: LinearClassificationHead, num_class: 10}",
            "  hyper_parameters:",
            "    trainer.seed: {type: INT, range: [0, 1000000]}",
            "trainer: {epochs: 1}",
            "");

    private static void djl(int trials) throws Exception {
        Path work = Files.createTempDirectory("djl-overhead-bench");
        Path file = work.resolve("quick.yml");
        Files.writeString(file, QUICK_START_NETWORK);
        JobConfig config = JobConfig.load(file);
        long t0 = System.nanoTime();
        io.finegrained.train.Engines.warmUp(ai.djl.Device.cpu());
        double warmUp = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        io.finegrained.train.LoadedData data = io.finegrained.train.Datasets.load(io.finegrained.train.DatasetConfig.embedded());
        double load = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "once per JVM: engine warm-up %.2f s, embedded data load %.2f s (%s)%n", warmUp, load, data);

        SparkSession spark = new SparkSettings(null, Map.of()).start("local[1]", "djl overhead benchmark", true);
        List<Objective> objectives = List.of(new Objective("accuracy", Objective.Direction.MAX));
        for (String phase : List.of("warm-up", "measured")) {
            int count = phase.equals("warm-up") ? 1 : trials;
            Path dir = work.resolve(phase);
            io.finegrained.trial.DjlTrial trial = new io.finegrained.trial.DjlTrial(config.text(), file.toString(),
                    dir.resolve("trials").toString(), 3600, io.finegrained.spark.GpuDevices::forCurrentTask);
            long start = System.nanoTime();
            try (RunDirectory directory = RunDirectory.open(dir, config, false)) {
                Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), objectives, 1, count);
                new SearchRun(new io.finegrained.search.Generations(OneGeneration.of(count, "trainer.seed", i -> (long) i), 1), objectives, directory, () -> new SparkTrialEvaluator(spark, trial), 1.0, quiet).run();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            if (phase.equals("warm-up")) {
                continue;
            }
            List<TrialResult> rows = Journal.read(dir.resolve(Journal.FILE_NAME));
            double trialSeconds = rows.stream().mapToDouble(TrialResult::seconds).sum();
            double training = rows.stream().mapToDouble(r -> r.metrics().get("train_seconds")).sum();
            System.out.printf(Locale.ROOT, "%d trials on local[1]: wall %.2f s = %.3f s per trial: training %.3f s,"
                    + " trial's fixed part %.3f s (network, scoring, latency, export), driver's part %.3f s (Spark task, journal)%n",
                    trials, wall, wall / trials, training / trials, (trialSeconds - training) / trials, (wall - trialSeconds) / trials);
            System.out.printf(Locale.ROOT, "per-trial fixed overhead (wall per trial minus training) = %.3f s%n", (wall - training) / trials);
        }
        spark.stop();
    }

    /** One generation of {@code count} sleeping trials through the real driver loop. */
    private static void generation(SparkSession spark, JobConfig config, Path dir, double sleep, int count) throws Exception {
        List<Objective> objectives = List.of(new Objective("t", Objective.Direction.MIN));
        String script = String.format(Locale.ROOT, "sleep %s; echo '{\"t\": %s}'", sleep, sleep);
        CommandTrial trial = new CommandTrial(List.of("/bin/sh", "-c", script), 600, dir.resolve("trials").toString());
        try (RunDirectory directory = RunDirectory.open(dir, config, false)) {
            Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), objectives, 1, count);
            new SearchRun(new io.finegrained.search.Generations(OneGeneration.of(count, "x", i -> i / (double) count), 1), objectives, directory, () -> new SparkTrialEvaluator(spark, trial), 1.0, quiet).run();
        }
    }

    /** Asks the given candidates once, as one generation. */
    private static final class OneGeneration implements SearchAlgorithm {
        private final List<Map<String, Object>> candidates;
        private boolean asked;

        OneGeneration(List<Map<String, Object>> candidates) {
            this.candidates = List.copyOf(candidates);
        }

        /** {@code count} candidates whose only open value is {@code key} = f(i). */
        static OneGeneration of(int count, String key, java.util.function.IntFunction<Object> value) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(Map.of(key, value.apply(i)));
            }
            return new OneGeneration(out);
        }

        @Override
        public List<Map<String, Object>> ask() {
            if (asked) {
                return List.of();
            }
            asked = true;
            return candidates;
        }

        @Override
        public void tell(List<TrialResult> results) {
        }

        @Override
        public int budget() {
            return candidates.size();
        }
    }
}
