package io.finegrained.trial;

import ai.djl.Device;
import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.Datasets;
import io.finegrained.train.Engines;
import io.finegrained.train.EpochListener;
import io.finegrained.train.EpochStats;
import io.finegrained.train.LoadedData;
import io.finegrained.train.SettingException;
import io.finegrained.train.Split;
import io.finegrained.train.TrainerConfig;
import io.finegrained.train.TrainingCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default trial: resolve the candidate's values into the space's network, build it with
 * DJL, train it on the training split and score it on the validation split (never the test
 * split), through {@link CandidateTraining} as {@code finegrained train} does; what is the
 * trial's own is here: the job cache, the training lock, the time-out and the trial's files. Metrics: {@code accuracy}, {@code loss}, {@code latency_ms}, {@code train_seconds}
 * from the trainer; {@code params}, {@code macs} (and {@code bitops} for a quantized network)
 * from the network's analysis.
 *
 * <p>Per JVM, not per trial: the job file is parsed once, the data loaded once
 * ({@link Datasets#load} caches it) and the engine warmed once. One training at a time per JVM:
 * DJL's gradient collector is JVM-global, so a JVM-wide lock serialises trainings; in
 * {@code local[*]} DJL trials therefore run one after another, each with all the cores. A trial's
 * {@code seconds} leave out the wait for that lock and the JVM's one-time warm-up.
 *
 * <p>Files, under {@code trials/<id>/}: {@code trial.log} (the network's size, the JVM and its
 * intra-op threads, one line per epoch, the outcome) and {@code model/} (the trained parameters
 * and the resolved YAML, see {@link io.finegrained.train.ModelExport}), from which the run's best
 * models are taken. On an executor that cannot see the run directory they are written in a local
 * folder and delivered after the trial ({@link TrialFiles}).
 * The time-out is checked after each training step: a trial over {@code timeout_s} fails there.
 *
 * @param configText the job file's text (executors parse it themselves; it is small)
 * @param configFile the job file's absolute path: relative data paths resolve against its folder
 * @param files where the per-trial folders go: the run's trials folder, or, on an executor that
 *              cannot see it, a local folder delivered after the trial ({@link TrialFiles})
 * @param timeoutSeconds the trial's wall-time limit
 * @param deviceChoice the device to train on, asked when the trial starts
 */
public record DjlTrial(String configText, String configFile, TrialFiles.Destination files, double timeoutSeconds,
                       DeviceChoice deviceChoice) implements TrialRunner, SegmentTrial, TrialFiles.Placed {

    /** The metrics a DJL trial reports: what objectives may name with this trial. */
    public static final List<String> METRICS = List.of("accuracy", "loss", "latency_ms", "latency_ms_b32", "train_seconds", "params", "macs", "bitops");

    /** One DJL training per JVM at a time (DJL's gradient collector is JVM-global). Fair: first come, first trained. */
    private static final ReentrantLock TRAINING = new ReentrantLock(true);
    private static final Map<String, TrainingJob> JOBS = new ConcurrentHashMap<>();

    /** Writing in {@code trialsDirectory} itself, wherever it runs. */
    public DjlTrial(String configText, String configFile, String trialsDirectory, double timeoutSeconds,
                    DeviceChoice deviceChoice) {
        this(configText, configFile, TrialFiles.Destination.direct(trialsDirectory), timeoutSeconds, deviceChoice);
    }

    /** The run directory's trials folder, as the driver names it. */
    public String trialsDirectory() {
        return files.trialsDirectory();
    }

    /**
     * The trainer a search trial uses: the {@code trainer} section, or, when the file has none,
     * the defaults with one epoch (a search trains many candidates; say more in the file).
     */
    public static TrainerConfig searchTrainer(JobConfig config) {
        if (!config.root().has("trainer")) {
            return TrainerConfig.defaults().withEpochs(1);
        }
        return TrainerConfig.from(config.section("trainer"));
    }

    /** The parsed parts of a job file, once per JVM. */
    static TrainingJob job(String text, String file) {
        return JOBS.computeIfAbsent(text + "\u0000" + file, key -> {
            JobConfig config = JobConfig.parse(text, Path.of(file));
            return new TrainingJob(SearchSpace.parse(config.section("search_space"), TrainerConfig.KEYS), searchTrainer(config),
                    DatasetConfig.from(config));
        });
    }

    @Override
    public TrialResult run(Candidate candidate) {
        TrainingJob job = job(configText, configFile);
        Path folder = files.folder(candidate.id());
        Device device = deviceChoice.device();
        long loadStart = System.nanoTime();
        Datasets.Fetched fetched = Datasets.fetch(job.dataset());
        LoadedData data = fetched.data();
        // How long the data took: a read from its files (the JVM's first trial) or the cache's check.
        String dataLine = String.format(Locale.ROOT, "data: %s in %.3f s%s", fetched.read() ? "read" : "cached",
                (System.nanoTime() - loadStart) / 1e9, fetched.read() ? " (" + fetched.why() + ")" : "");
        acquireTraining(candidate);
        try {
            Engines.configureThreads(job.trainer().threads(), 0);
            Engines.warmUp(device);
            Engines.prepareThread(); // grad mode is per libtorch thread: see Engines.prepareThread
            long start = System.nanoTime();
            try (PrintWriter log = trialLog(folder)) {
                log.println(dataLine);
                return train(candidate, job, data, device, folder, log, start);
            }
        } finally {
            TRAINING.unlock();
        }
    }

    /**
     * One segment of the trial (asynchronous, multi-fidelity search): trains from its checkpoint
     * (the bytes sent, or a newer one in {@code trials/<id>/checkpoint/} left by an attempt that
     * lost its executor) up to {@code toResource} epochs, saving its state there after every
     * epoch, scores, and returns its last state as bytes. Resources are epochs; the learning-rate schedule spans the trainer's
     * whole {@code epochs}, so a continued trial follows the curve of an uninterrupted one.
     */
    @Override
    public Outcome runSegment(Candidate candidate, int fromResource, int toResource, byte[] checkpoint) {
        TrainingJob job = job(configText, configFile);
        Path folder = files.folder(candidate.id());
        Device device = deviceChoice.device();
        LoadedData data = Datasets.load(job.dataset());
        acquireTraining(candidate);
        try {
            Engines.configureThreads(job.trainer().threads(), 0);
            Engines.warmUp(device);
            Engines.prepareThread();
            long start = System.nanoTime();
            try (PrintWriter log = trialLog(folder, fromResource > 0)) {
                return segment(candidate, job, data, device, folder, log, start, fromResource, toResource, checkpoint);
            }
        } finally {
            TRAINING.unlock();
        }
    }

    /** Where a trial keeps its checkpoint on the executor's side. */
    public static Path checkpointFile(Path trialFolder) {
        return trialFolder.resolve("checkpoint").resolve("state.bin");
    }

    private Outcome segment(Candidate candidate, TrainingJob job, LoadedData data, Device device, Path folder, PrintWriter log,
                            long start, int fromResource, int toResource, byte[] sent) {
        CandidateTraining training;
        try {
            training = CandidateTraining.prepare(job, candidate.hyperparameters());
        } catch (InvalidCandidateException | SettingException e) {
            log.println("invalid candidate: " + e.getMessage());
            return new Outcome(TrialResult.failed(candidate, "invalid candidate: " + e.getMessage(), seconds(start)), true, null);
        }
        TrainingCheckpoint from = newest(sent, checkpointFile(folder), fromResource, toResource);
        if (fromResource > 0 && from == null) {
            log.println("no checkpoint at epoch " + fromResource + ": training from scratch");
        }
        log.printf(Locale.ROOT, "trial %d (generation %d): %s; %s; device %s; epochs %d -> %s%n", candidate.id(),
                candidate.generation(), training.sizeText(), data, device, from == null ? 0 : from.epoch(),
                toResource == 0 ? "all " + training.trainer().epochs() : Integer.toString(toResource));
        log.printf(Locale.ROOT, "JVM %s, intra-op threads: %d%n", ManagementFactory.getRuntimeMXBean().getName(),
                Engines.intraOpThreads());
        log.flush();
        // A checkpoint after every epoch inside the segment, in the trial's folder only: a retry
        // after a lost executor continues from there (when it can read the folder); the driver
        // gets the segment's last one.
        CandidateTraining.SegmentOutcome segment = training.trainSegment(data, Split.VALIDATION, device, progress(log, start),
                null, folder.resolve("model"), from, toResource, c -> {
                    saveCheckpoint(checkpointFile(folder), c.toBytes());
                    log.println("checkpoint at epoch " + c.epoch());
                    log.flush();
                });
        CandidateOutcome outcome = segment.outcome();
        double seconds = seconds(start);
        int reached = outcome.training().epochs();
        if (!outcome.ok()) {
            log.println("FAILED: " + outcome.reason());
            return new Outcome(TrialResult.failed(candidate, outcome.reason(), seconds).ranAt(reached, null, null, null), true, null);
        }
        log.println("OK at epoch " + reached + ": " + outcome.metrics());
        byte[] bytes = null;
        if (segment.checkpoint() != null) {
            bytes = segment.checkpoint().toBytes();
            saveCheckpoint(checkpointFile(folder), bytes);
        }
        TrialResult result = TrialResult.ok(candidate, outcome.metrics(), seconds).ranAt(reached, null, null, null);
        return new Outcome(result, segment.checkpoint() == null, bytes);
    }

    /** The sent checkpoint, or the one in the trial's folder when it is further along (and not past the target). */
    private static TrainingCheckpoint newest(byte[] sent, Path file, int fromResource, int toResource) {
        TrainingCheckpoint best = sent == null ? null : TrainingCheckpoint.fromBytes(sent);
        if (fromResource == 0 && best == null) {
            return null; // from scratch: a checkpoint left in the folder is of an earlier attempt of the first segment
        }
        try {
            if (Files.exists(file)) {
                TrainingCheckpoint local = TrainingCheckpoint.fromBytes(Files.readAllBytes(file));
                boolean fits = toResource == 0 || local.epoch() <= toResource;
                if (fits && (best == null || local.epoch() > best.epoch())) {
                    best = local;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // An unreadable local copy (a partial write): the sent one stands.
        }
        return best;
    }

    private static void saveCheckpoint(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.write(partial, bytes);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private TrialResult train(Candidate candidate, TrainingJob job, LoadedData data, Device device, Path folder,
                              PrintWriter log, long start) {
        CandidateTraining training;
        try {
            training = CandidateTraining.prepare(job, candidate.hyperparameters());
        } catch (InvalidCandidateException | SettingException e) {
            log.println("invalid candidate: " + e.getMessage());
            return TrialResult.failed(candidate, "invalid candidate: " + e.getMessage(), seconds(start));
        }
        log.printf(Locale.ROOT, "trial %d (generation %d): %s; %s; device %s%n", candidate.id(), candidate.generation(),
                training.sizeText(), data, device);
        log.println("values: " + candidate.hyperparameters());
        // Which JVM trained it (pid@host, as Spark's executor logs name their JVM) and with how
        // many threads: on a cluster the trial's place, and what its results depend on.
        log.printf(Locale.ROOT, "JVM %s, intra-op threads: %d%n", ManagementFactory.getRuntimeMXBean().getName(),
                Engines.intraOpThreads());
        log.flush();
        CandidateOutcome outcome = training.train(data, Split.VALIDATION, device, progress(log, start), null,
                folder.resolve("model"));
        double seconds = seconds(start);
        if (!outcome.ok()) {
            log.println("FAILED: " + outcome.reason());
            return TrialResult.failed(candidate, outcome.reason(), seconds).ranAt(outcome.training().epochs(), null, null, null);
        }
        Map<String, Double> metrics = outcome.metrics();
        log.println("OK: " + metrics);
        // The epochs trained are the resource it reached (the journal's "resource").
        return TrialResult.ok(candidate, metrics, seconds).ranAt(outcome.training().epochs(), null, null, null);
    }

    /** Epoch lines to the trial log; after each step, the time-out (checked there: a step is the unit of work). */
    private EpochListener progress(PrintWriter log, long start) {
        long deadline = start + Math.round(timeoutSeconds * 1e9);
        return new EpochListener() {
            @Override
            public void onEpoch(EpochStats stats) {
                log.println(stats.line());
                log.flush();
            }

            @Override
            public void onStep(int epoch, int step) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + format(timeoutSeconds) + " s (trial.timeout_s), at epoch "
                            + epoch + ", step " + step);
                }
            }
        };
    }

    /** Waits for this JVM's training slot; a cancelled job stops waiting. */
    private static void acquireTraining(Candidate candidate) {
        try {
            TRAINING.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrialInterruptedException("trial " + candidate.id() + " was cancelled while waiting to train");
        }
    }

    private static PrintWriter trialLog(Path folder) {
        return trialLog(folder, false);
    }

    /** @param append a later segment adds to the log of the earlier ones */
    private static PrintWriter trialLog(Path folder, boolean append) {
        try {
            Files.createDirectories(folder);
            return new PrintWriter(append
                    ? Files.newBufferedWriter(folder.resolve("trial.log"), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND)
                    : Files.newBufferedWriter(folder.resolve("trial.log"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trial log in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
