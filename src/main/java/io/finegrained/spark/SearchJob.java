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
     * @param output the run directory: a path, or a URI of any Hadoop file system
     *               ({@code hdfs://nn:8020/runs/x}); or null for the default
     *               ({@code runs/<name>-<UTC time>}, or with {@code resume} the newest such run)
     * @param master the Spark master from {@code --master}, or null
     * @param session the caller's Spark session (a notebook's, the API's), used and left running;
     *                null to use a running one or start one from the {@code spark} section
     * @param listener told each trial's result once it is journaled, on the driver thread; or null
     */
    public record Options(String output, String master, boolean resume, SparkSession session, Consumer<TrialResult> listener) {
        /** Options of the command line: Spark found or started by the job, no listener. */
        public Options(String output, String master, boolean resume) {
            this(output, master, resume, null, null);
        }

        /** A local run directory. */
        public Options(Path output, String master, boolean resume) {
            this(output == null ? null : output.toString(), master, resume, null, null);
        }

        /** A local run directory. */
        public Options(Path output, String master, boolean resume, SparkSession session, Consumer<TrialResult> listener) {
            this(output == null ? null : output.toString(), master, resume, session, listener);
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
    private volatile String directory;

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
                : options.session().sparkContext().conf()), options.output());
        if (trial.type() == TrialSettings.Type.DJL) {
            // The model a Prune or Quant starts from (init_model_file): refused now, before a run directory exists.
            // And the teacher of trainer.distill_from.
            try {
                io.finegrained.trial.CandidateTraining.checkStartModel(
                        new io.finegrained.trial.TrainingJob(job.space(), job.trainer(), job.dataset()));
            } catch (io.finegrained.train.SettingException e) {
                throw io.finegrained.train.TrainerConfig.located(config.section("trainer"), e);
            }
        }
        String output = outputDirectory(options);
        directory = output;
        try (RunDirectory directory = RunDirectory.open(output, config, setup.searcher().genome(), options.resume(), err)) {
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

    /** The run directory of the last {@link #run} when it is local; null before it chose one, or when it is not local. */
    public Path directory() {
        String d = directory;
        return d == null || RunStore.isRemote(d) ? null : RunStore.of(d).localPath();
    }

    /** The run directory of the last {@link #run} as given (a path or a URI); null before it chose one. */
    public String location() {
        return directory;
    }

    /** Asks a running {@link #run} to stop from another thread; it then throws {@link RunStoppedException}. */
    public void stop(String why) {
        Consumer<String> run = current;
        if (run != null) {
            run.accept(why);
        }
    }

    private String outputDirectory(Options options) throws IOException {
        if (options.output() != null) {
            return options.output();
        }
        if (options.resume()) {
            Optional<Path> newest = newestRun();
            if (newest.isPresent()) {
                err.println("resuming the newest run of " + config.name() + ": " + newest.get());
                return newest.get().toString();
            }
        }
        return RunDirectory.defaultPath(config).toString();
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
        TrialFiles.Destination files = directory.isLocal()
                ? TrialFiles.Destination.create(directory.trialsFolder(), trial.returnFilesMaxBytes())
                : TrialFiles.Destination.create(directory.trialsUri(), trial.returnFilesMaxBytes());
        return switch (trial.type()) {
            case COMMAND -> trial.commandRunner(files);
            case DJL -> new DjlTrial(config.text(), config.file().toAbsolutePath().toString(), files, trial.timeoutSeconds(),
                    GpuDevices::forCurrentTask);
        };
    }

    private void report(SearchRun.Summary summary, List<Objective> objectives, RunDirectory directory) throws IOException {
        long failed = summary.results().stream().filter(r -> r.status() == io.finegrained.search.TrialStatus.FAILED).count();
        long stopped = summary.results().stream().filter(r -> r.status() == io.finegrained.search.TrialStatus.STOPPED).count();
        String csv = directory.store().describe(ResultTable.fileName(objectives));
        ResultTable table = ResultTable.of(summary.front(), objectives);
        writeCsv(table, directory, ResultTable.fileName(objectives));
        String what = summary.ran() == 0 ? "the run is complete; nothing was run" : "ran " + summary.ran() + " trials";
        out.println("search finished (" + what + "): " + summary.results().size() + " trials, " + failed + " failed"
                + (stopped > 0 ? ", " + stopped + " stopped early" : "") + ", in " + directory.location());
        out.println((objectives.size() == 1 ? "best" : "Pareto front") + " (" + describe(objectives) + "), "
                + summary.front().size() + " of " + summary.results().size() + " trials, also in " + csv + ":");
        out.print(table.toText());
        int models = exportBestModels(summary.front(), directory);
        if (models > 0) {
            out.println("the front's trained models (DJL parameters + resolved YAML): " + directory.store().describe(MODELS_FOLDER)
                    + "/<id>/");
        }
        out.flush();
    }

    /** The table through the run directory's store (one step where the store can), written locally first by ResultTable. */
    private static void writeCsv(ResultTable table, RunDirectory directory, String name) throws IOException {
        if (directory.isLocal()) {
            table.writeCsv(directory.path().resolve(name));
            return;
        }
        Path local = Files.createTempFile("finegrained-", ".csv");
        try {
            table.writeCsv(local);
            directory.writeFile(name, Files.readAllBytes(local));
        } finally {
            Files.deleteIfExists(local);
        }
    }

    /**
     * Copies each front trial's model, kept by its trial in {@code trials/<id>/model/}, to
     * {@code models/<id>/} (replacing the previous front's). Why keep rather than re-train: a
     * re-training costs as much as the trial again, and with the trial's seed and threads it would
     * only reproduce the same parameters. The model is taken from the run directory (wherever it
     * is: a trial may have delivered it there), else from the driver's local trials folder (a
     * trial that ran on the driver's machine and wrote it there); one found in neither (trained on
     * a machine without a shared file system) is named and skipped.
     */
    private int exportBestModels(List<TrialResult> front, RunDirectory directory) throws IOException {
        RunStore store = directory.store();
        store.delete(MODELS_FOLDER); // ours: this method is the only writer of models/
        int copied = 0;
        for (TrialResult r : front) {
            String id = Integer.toString(r.id());
            String source = RunDirectory.TRIALS_FOLDER + "/" + id + "/model";
            String target = MODELS_FOLDER + "/" + id + "/";
            if (store.isFolder(source)) {
                for (String name : store.list(source)) {
                    if (!name.endsWith("/")) {
                        store.write(target + name, store.read(source + "/" + name));
                    }
                }
                copied++;
                continue;
            }
            Path local = directory.trialsFolder().resolve(id).resolve("model");
            if (!directory.isLocal() && Files.isDirectory(local)) {
                try (Stream<Path> files = Files.list(local)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        store.write(target + file.getFileName(), Files.readAllBytes(file));
                    }
                }
                copied++;
            }
        }
        if (copied > 0 && copied < front.size()) {
            err.println("note: " + (front.size() - copied) + " front trials have no model in " + store.describe(RunDirectory.TRIALS_FOLDER)
                    + " (over trial.return_files_max_mb, a trial's files stay on its executor: see trials/<id>/"
                    + TrialFiles.STAYED_FILE + ")");
        }
        return copied;
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
