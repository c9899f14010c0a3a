package io.finegrained.bench;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.Generations;
import io.finegrained.search.Objective;
import io.finegrained.search.Proposal;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.Searcher;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.spark.AsyncExecution;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Busy slots with unequal trials (issue 11): command trials that sleep for a duration the
 * candidate sets ({@code d}, spread 1–4× from {@code base} seconds), on {@code local[slots]},
 * the same trials in the same order through the generational driver (today's {@link SearchRun},
 * generations of {@code population}) and through the asynchronous {@link AsyncExecution} runner
 * with a minimal asynchronous searcher (propose while a slot is free, no early stopping), with
 * no segment and with one segment queued ahead in Spark ({@code SparkSegmentRunner.queueAhead}). Busy
 * fraction = trial seconds / (slots × time from the first trial's start to the last one's end),
 * from the journal's {@code started} / {@code finished}; Spark's start-up is left out (one
 * warm-up job first). Goal: asynchronous ≥ 0.95 busy and ≤ 0.8× the generational wall time.
 *
 * <pre>submit/bench AsyncBusyBenchmark [trials=16] [slots=2] [population=2] [base_s=0.5]</pre>
 */
public final class AsyncBusyBenchmark {
    private AsyncBusyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int population = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        double base = args.length > 3 ? Double.parseDouble(args[3]) : 0.5;
        List<Map<String, Object>> values = durations(trials, base);
        Path work = Files.createTempDirectory("async-busy-bench");
        JobConfig config = JobConfig.parse("search_space:\n  hyper_parameters:\n    d: {type: FLOAT, range: [0.0, 100.0]}\n",
                work.resolve("bench.yml"));
        SparkSession spark = new SparkSettings(null, Map.of()).start("local[" + slots + "]", "async busy benchmark", false);
        generational(spark, config, work.resolve("warm-up"), List.of(Map.of("d", 0.05)), 1); // class loading, first job
        double total = values.stream().mapToDouble(v -> (Double) v.get("d")).sum();
        System.out.printf(Locale.ROOT, "%d command trials sleeping %.2f–%.2f s (sum %.1f s), local[%d]; ideal wall %.2f s%n", trials,
                values.stream().mapToDouble(v -> (Double) v.get("d")).min().orElse(0),
                values.stream().mapToDouble(v -> (Double) v.get("d")).max().orElse(0), total, slots, total / slots);
        Path genDir = work.resolve("generational");
        long t0 = System.nanoTime();
        generational(spark, config, genDir, values, population);
        double genWall = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "generational (population %d): wall %.2f s, busy %.3f (span %.2f s)%n", population, genWall,
                busy(genDir, slots), span(genDir));
        for (int ahead : new int[] {0, 1}) {
            Path asyncDir = work.resolve("asynchronous-" + ahead);
            t0 = System.nanoTime();
            asynchronous(spark, config, asyncDir, values, ahead);
            double asyncWall = (System.nanoTime() - t0) / 1e9;
            double asyncBusy = busy(asyncDir, slots);
            System.out.printf(Locale.ROOT, "asynchronous, %d queued ahead: wall %.2f s, busy %.3f (span %.2f s); / generational wall %.3f"
                    + " (span %.3f); goals busy >= 0.95 %s, ratio <= 0.8 %s%n", ahead, asyncWall, asyncBusy, span(asyncDir),
                    asyncWall / genWall, span(asyncDir) / span(genDir), asyncBusy >= 0.95 ? "met" : "NOT met",
                    asyncWall / genWall <= 0.8 ? "met" : "NOT met");
        }
        spark.stop();
    }

    /** Durations base × (1 … 4), from a fixed sequence (a multiplicative congruential generator): the same every run. */
    static List<Map<String, Object>> durations(int n, double base) {
        List<Map<String, Object>> values = new ArrayList<>();
        long x = 12345;
        for (int i = 0; i < n; i++) {
            x = (x * 48271) % 2147483647;
            double u = x / 2147483647.0;
            values.add(Map.of("d", Math.round(base * (1 + 3 * u) * 1000) / 1000.0));
        }
        return values;
    }

    private static CommandTrial sleeper(Path dir) {
        // Reads d from the candidate JSON on stdin, sleeps that long, reports it.
        String script = "read -r line; d=$(printf '%s' \"$line\" | sed 's/.*\"d\":\\([0-9.]*\\).*/\\1/'); sleep \"$d\";"
                + " echo \"{\\\"t\\\": $d}\"";
        return new CommandTrial(List.of("/bin/sh", "-c", script), 600, dir.resolve("trials").toString());
    }

    private static void generational(SparkSession spark, JobConfig config, Path dir, List<Map<String, Object>> values, int population)
            throws Exception {
        List<Objective> objectives = List.of(new Objective("t", Objective.Direction.MIN));
        int generations = (values.size() + population - 1) / population;
        try (RunDirectory directory = RunDirectory.open(dir, config, false)) {
            Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), objectives, generations, values.size());
            CommandTrial trial = sleeper(dir);
            new SearchRun(new Generations(new Fixed(values, population), generations), objectives, directory,
                    () -> new SparkTrialEvaluator(spark, trial), 1.0, quiet).run();
        }
    }

    private static void asynchronous(SparkSession spark, JobConfig config, Path dir, List<Map<String, Object>> values, int ahead)
            throws Exception {
        try (RunDirectory directory = RunDirectory.open(dir, config, false);
                AsyncExecution run = AsyncExecution.open(spark, sleeper(dir), directory, new OneByOne(values), false)) {
            run.spark().queueAhead(ahead);
            loop(run.searcher(), run.runner());
        }
    }

    /** The smallest asynchronous loop: a free slot gets the next proposal at once; each result is told. */
    private static void loop(Searcher searcher, SegmentRunner runner) throws InterruptedException {
        int running = 0;
        int id = 0;
        while (true) {
            while (running < runner.slots()) {
                Proposal p = searcher.propose();
                if (!(p instanceof Proposal.Trial t)) {
                    break;
                }
                runner.start(new Candidate(id++, t.batch(), t.values()), 0, Proposal.FULL_BUDGET);
                running++;
            }
            if (running == 0) {
                return;
            }
            SegmentRunner.Segment s = runner.next();
            running--;
            searcher.tell(s.result());
        }
    }

    private static double span(Path dir) {
        List<TrialResult> rows = Journal.read(dir.resolve(Journal.FILE_NAME));
        Instant first = rows.stream().map(TrialResult::started).min(Instant::compareTo).orElseThrow();
        Instant last = rows.stream().map(TrialResult::finished).max(Instant::compareTo).orElseThrow();
        return Duration.between(first, last).toMillis() / 1000.0;
    }

    private static double busy(Path dir, int slots) {
        double work = Journal.read(dir.resolve(Journal.FILE_NAME)).stream()
                .mapToDouble(r -> Duration.between(r.started(), r.finished()).toMillis() / 1000.0).sum();
        return work / (slots * span(dir));
    }

    /** The values in order, {@code population} per generation. */
    private static final class Fixed implements SearchAlgorithm {
        private final List<Map<String, Object>> values;
        private final int population;
        private int next;

        Fixed(List<Map<String, Object>> values, int population) {
            this.values = values;
            this.population = population;
        }

        @Override
        public List<Map<String, Object>> ask() {
            List<Map<String, Object>> batch = values.subList(next, Math.min(values.size(), next + population));
            next += batch.size();
            return List.copyOf(batch);
        }

        @Override
        public void tell(List<TrialResult> results) {
        }

        @Override
        public int budget() {
            return values.size();
        }
    }

    /** A minimal asynchronous searcher: the values one by one, whenever asked. */
    private static final class OneByOne implements Searcher {
        private final List<Map<String, Object>> values;
        private int next;

        OneByOne(List<Map<String, Object>> values) {
            this.values = values;
        }

        @Override
        public Proposal propose() {
            return next < values.size() ? new Proposal.Trial(values.get(next++), 0) : Proposal.DONE;
        }

        @Override
        public void tell(TrialResult result) {
        }

        @Override
        public int budget() {
            return values.size();
        }

        @Override
        public String name() {
            return "OneByOne";
        }
    }
}
