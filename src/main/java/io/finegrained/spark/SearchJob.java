package io.finegrained.spark;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.job.Job;
import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import io.finegrained.trial.DjlTrial;
import io.finegrained.trial.TrialFiles;
import io.finegrained.trial.TrialRunner;
import io.finegrained.trial.TrialSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;

/**
 * One search job from a loaded job file to its outputs: opens the run directory, starts Spark
 * when a trial has to run, drives the search ({@link SearchRun}), and writes the front
 * ({@code pareto.csv} / {@code best.csv}) and prints it. What {@code finegrained search} and
 * {@code spark-submit} run.
 */
public final class SearchJob {

    /**
     * The command line's choices.
     *
     * @param output the run directory, or null for the default ({@code runs/<name>-<UTC time>},
     *               or with {@code resume} the newest such run)
     * @param master the Spark master from {@code --master}, or null
     * @param session the caller's Spark session (a notebook's, the API's), used and left running;
     *                null to use a running one or start one from the {@code spark} section
     * @param listener told each trial's result once it is journaled, on the driver thread; or null
     */
    public record Options(Path output, String master, boolean resume, SparkSession session, Consumer<TrialResult> listener) {
        /** Options of the command line: Spark found or started by the job, no listener. */
        public Options(Path output, String master, boolean resume) {
            this(output, master, resume, null, null);
        }
    }

    /** Runs before Spark's shutdown hooks, which Spark registers with Hadoop's manager at priority 40. */
    private static final int INTERRUPT_HOOK_PRIORITY = 100;
    /** Where the front's trained models go in the run directory. */
    public static final String MODELS_FOLDER = "models";

    private final Job job;
    private final JobConfig config;
    private final Function<Job, SearchSetup> setupFactory;
    private final PrintStream out;
    private final PrintStream err;
    /** How to stop the run in progress (the generational or the asynchronous driver); null between runs. */
    private volatile Consumer<String> current;
    private volatile Path directory;

    /**
     * @param setupFactory builds the algorithm and objectives ({@link SearchSetup#from} in the CLI)
     * @param out where the front goes (stdout)
     * @param err where progress and notes go (stderr)
     */
    public SearchJob(Job job, Function<Job, SearchSetup> setupFactory, PrintStream out, PrintStream err) {
        this.job = job;
        this.config = job.config();
        this.setupFactory = setupFactory;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs (or resumes, or re-reports) the job. Throws {@link ConfigException} for a bad file,
     * {@link RunRefusedException} when the directory rules refuse it, and
     * {@link RunStoppedException} when the run stops early (resumable; its message is already
     * printed on {@code err} then).
     */
    public SearchRun.Summary run(Options options) throws IOException {
        TrialSettings trial = job.trial();
        SparkSettings sparkSettings = SparkSettings.from(config);
        SearchSetup setup = setupFactory.apply(job);
        ClusterResources.requireDurableOutput(ClusterResources.deployMode(options.session() == null ? null
                : options.session().sparkContext().conf()), options.output() == null ? null : options.output().toString());
        if (trial.type() == TrialSettings.Type.DJL) {
            // The model a Prune or Quant starts from (init_model_file): refused now, before a run directory exists.
            io.finegrained.trial.CandidateTraining.checkStartModel(
                    new io.finegrained.trial.TrainingJob(job.space(), job.trainer(), job.dataset()));
        }
        Path output = outputDirectory(options);
        directory = output;
        try (RunDirectory directory = RunDirectory.open(output, config, options.resume())) {
            if (options.resume() && directory.previousResults().isEmpty()) {
                err.println("nothing to resume in " + output + ": starting a fresh run");
            }
            TrialRunner runner = runner(trial, directory);
            Progress progress = new Progress(err, setup.objectives(), setup.plan().generations(), setup.plan().trials());
            LazySpark spark = new LazySpark(sparkSettings, options.master(), "finegrained search " + config.name(),
                    trial.type() == TrialSettings.Type.DJL, options.session());
            boolean asynchronous = AsyncExecution.isAsynchronous(setup.searcher());
            SearchRun run = asynchronous ? null : new SearchRun(setup.searcher(), setup.objectives(), directory,
                    () -> new SparkTrialEvaluator(spark.session(err), runner, err::println), trial.failureThreshold(), progress,
                    options.listener());
            AsyncSearchRun async = asynchronous
                    ? new AsyncSearchRun(setup.searcher(), setup.objectives(), directory, progress, options.listener(),
                    trial.failureThreshold()) : null;
            current = why -> {
                if (run != null) {
                    run.stop(why);
                } else {
                    async.stop(why);
                }
            };
            CountDownLatch finished = new CountDownLatch(1);
            Runnable onInterrupt = () -> {
                stop("interrupted");
                awaitQuietly(finished);
            };
            // Through Hadoop's hook manager, at a priority above Spark's own hooks: on Ctrl-C the
            // run stops and says so before Spark tears its context down under it.
            ShutdownHookManager.get().addShutdownHook(onInterrupt, INTERRUPT_HOOK_PRIORITY);
            SearchRun.Summary summary;
            try {
                summary = asynchronous ? async.run(spark.session(err), runner, options.resume()) : run.run();
            } catch (RunStoppedException e) {
                err.println("finegrained: " + e.getMessage()); // before the hook lets the JVM go on exiting
                err.flush();
                throw e;
            } finally {
                current = null;
                spark.stop();
                finished.countDown();
                removeHook(onInterrupt);
            }
            report(summary, setup.objectives(), directory);
            return summary;
        }
    }

    /** The run directory of the last {@link #run} (null before it chose one). */
    public Path directory() {
        return directory;
    }

    /** Asks a running {@link #run} to stop from another thread; it then throws {@link RunStoppedException}. */
    public void stop(String why) {
        Consumer<String> run = current;
        if (run != null) {
            run.accept(why);
        }
    }

    private Path outputDirectory(Options options) throws IOException {
        if (options.output() != null) {
            return options.output();
        }
        if (options.resume()) {
            Optional<Path> newest = newestRun();
            if (newest.isPresent()) {
                err.println("resuming the newest run of " + config.name() + ": " + newest.get());
                return newest.get();
            }
        }
        return RunDirectory.defaultPath(config);
    }

    /** The newest {@code runs/<name>-<timestamp>} directory (timestamps sort as text). */
    private Optional<Path> newestRun() throws IOException {
        Path defaultPath = RunDirectory.defaultPath(config);
        Path runs = defaultPath.getParent();
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        String prefix = config.name() + "-";
        try (Stream<Path> list = Files.list(runs)) {
            return list.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().substring(prefix.length()).matches("\\d{8}-\\d{6}"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    private TrialRunner runner(TrialSettings trial, RunDirectory directory) {
        // A new token per run: executors that read it see the run directory (TrialFiles).
        TrialFiles.Destination files = TrialFiles.Destination.create(directory.trialsFolder(), trial.returnFilesMaxBytes());
        return switch (trial.type()) {
            case COMMAND -> trial.commandRunner(files);
            case DJL -> new DjlTrial(config.text(), config.file().toAbsolutePath().toString(), files, trial.timeoutSeconds(),
                    GpuDevices::forCurrentTask);
        };
    }

    private void report(SearchRun.Summary summary, List<Objective> objectives, RunDirectory directory) throws IOException {
        long failed = summary.results().stream().filter(r -> r.status() == io.finegrained.search.TrialStatus.FAILED).count();
        long stopped = summary.results().stream().filter(r -> r.status() == io.finegrained.search.TrialStatus.STOPPED).count();
        Path csv = directory.path().resolve(ResultTable.fileName(objectives));
        ResultTable table = ResultTable.of(summary.front(), objectives);
        table.writeCsv(csv);
        String what = summary.ran() == 0 ? "the run is complete; nothing was run" : "ran " + summary.ran() + " trials";
        out.println("search finished (" + what + "): " + summary.results().size() + " trials, " + failed + " failed"
                + (stopped > 0 ? ", " + stopped + " stopped early" : "") + ", in " + directory.path());
        out.println((objectives.size() == 1 ? "best" : "Pareto front") + " (" + describe(objectives) + "), "
                + summary.front().size() + " of " + summary.results().size() + " trials, also in " + csv + ":");
        out.print(table.toText());
        int models = exportBestModels(summary.front(), directory);
        if (models > 0) {
            out.println("the front's trained models (DJL parameters + resolved YAML): " + directory.path().resolve(MODELS_FOLDER)
                    + "/<id>/");
        }
        out.flush();
    }

    /**
     * Copies each front trial's model, kept by its trial in {@code trials/<id>/model/}, to
     * {@code models/<id>/} (replacing the previous front's). Why keep rather than re-train: a
     * re-training costs as much as the trial again, and with the trial's seed and threads it would
     * only reproduce the same parameters. A trial whose model is not on this file system (a
     * cluster without a shared one) is named and skipped.
     */
    private int exportBestModels(List<TrialResult> front, RunDirectory directory) throws IOException {
        Path models = directory.path().resolve(MODELS_FOLDER);
        deleteTree(models);
        int copied = 0;
        for (TrialResult r : front) {
            Path source = directory.trialsFolder().resolve(Integer.toString(r.id())).resolve("model");
            if (!Files.isDirectory(source)) {
                continue;
            }
            Path target = models.resolve(Integer.toString(r.id()));
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
            copied++;
        }
        if (copied > 0 && copied < front.size()) {
            err.println("note: " + (front.size() - copied) + " front trials have no model in " + directory.trialsFolder()
                    + " (over trial.return_files_max_mb, a trial's files stay on its executor: see trials/<id>/"
                    + TrialFiles.STAYED_FILE + ")");
        }
        return copied;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String describe(List<Objective> objectives) {
        return String.join(", ", objectives.stream().map(o -> o.metric() + " " + o.direction().name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Runnable hook) {
        try {
            ShutdownHookManager.get().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down (Ctrl-C): the hook is running
        }
    }

    /** Starts Spark on first use only, and stops it only when this job started it. */
    private static final class LazySpark {
        private final SparkSettings settings;
        private final String master;
        private final String appName;
        private final boolean djlTrials;
        private SparkSession session;
        private boolean ownSession;
        private boolean ready;

        LazySpark(SparkSettings settings, String master, String appName, boolean djlTrials, SparkSession given) {
            this.settings = settings;
            this.master = master;
            this.appName = appName;
            this.djlTrials = djlTrials;
            this.session = given;
        }

        SparkSession session(PrintStream err) {
            if (ready) {
                return session;
            }
            if (session != null) {
                err.println("using the given Spark session (" + session.sparkContext().master() + ")");
            } else {
                scala.Option<SparkSession> existing = SparkSession.getActiveSession().orElse(() -> SparkSession.getDefaultSession());
                if (existing.isDefined() && !existing.get().sparkContext().isStopped()) {
                    // A notebook's (or a test's) session: use it as it is, and leave it running.
                    session = existing.get();
                    err.println("using the running Spark session (" + session.sparkContext().master() + ")");
                } else {
                    ownSession = true;
                    err.println("starting Spark (" + settings.effectiveMaster(master) + ") ...");
                    session = settings.start(master, appName, djlTrials);
                }
            }
            int maxFailures = session.sparkContext().conf().getInt("spark.task.maxFailures", 4);
            if (!ClusterResources.isSingleJvm(session.sparkContext().master())
                    && maxFailures <= SparkTrialEvaluator.LOST_EXECUTOR_LIMIT) {
                err.println("warning: spark.task.maxFailures is " + maxFailures + ": a trial whose executor is lost "
                        + maxFailures + " times ends the whole run instead of being recorded FAILED after "
                        + SparkTrialEvaluator.LOST_EXECUTOR_LIMIT + " (set it to at least " + (SparkTrialEvaluator.LOST_EXECUTOR_LIMIT + 1) + ")");
            }
            ready = true;
            return session;
        }

        void stop() {
            if (session != null && ownSession) {
                session.stop();
                // A stopped session stays "active" on this thread: forget it, so a later job in
                // this JVM (a notebook, a test) starts a new one.
                SparkSession.clearActiveSession();
                SparkSession.clearDefaultSession();
            }
        }
    }
}
