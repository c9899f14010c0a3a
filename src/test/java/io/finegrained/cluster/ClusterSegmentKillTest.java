package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.spark.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a standalone cluster, an executor killed ({@code kill -9}) while it trains a DJL trial's
 * second segment: Spark retries the segment on a new executor, which continues from the last
 * checkpoint the killed segment saved (the folder is shared), so the trial trains fewer epochs
 * after the kill than its full budget, and fewer than the segment.
 */
class ClusterSegmentKillTest {
    private static final int EPOCHS = 6;
    private static final String CONFIG = """
            search_space:
              modules: ['init', 'head']
              init: {type: SmallInputInitialBlock, init_plane: 4}
              head: {type: LinearClassificationHead, num_class: 10}
              hyper_parameters:
                init.init_plane: {type: CATEGORY, range: [2, 4, 8]}
                trainer.lr: {type: FLOAT_EXP, range: [0.01, 0.2]}
            dataset: {source: synthetic, train_size: 8192, test_size: 64, validation: 0.1}
            trainer: {epochs: %d, batch_size: 32, threads: 1}
            """.formatted(EPOCHS);
    private static final Pattern EPOCH_LINE = Pattern.compile("^epoch (\\d+)/" + EPOCHS + " ", Pattern.MULTILINE);

    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start(StandaloneCluster.Options.named("segment-kill"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aKilledExecutorsSegmentContinuesFromItsCheckpoint() throws Exception {
        Path job = Files.createDirectories(cluster.dir().resolve("job")).resolve("djl.yml");
        Files.writeString(job, CONFIG);
        Path run = cluster.dir().resolve("run");
        List<String> args = new ArrayList<>(List.of(job.toString(), run.toString()));
        cluster.driverSettings().forEach((k, v) -> args.add(k + "=" + v));
        args.add("spark.jars=" + cluster.appJar() + "," + cluster.testJar());
        args.add("spark.executor.cores=1");
        args.add("spark.cores.max=1");
        args.add("spark.task.maxFailures=4");
        Path log = cluster.dir().resolve("driver.log");
        Process driver = cluster.startTestDriver(SegmentKillDriver.class.getName(), args, log);
        Path trialLog = run.resolve("trials/0/trial.log");

        // Wait until the second segment has trained and saved at least one epoch of its own, then kill its executor.
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline) && !savedInSecondSegment(trialLog)) {
            assertTrue(driver.isAlive(), () -> "the driver ended early\n" + StandaloneCluster.tail(log, 40) + cluster.logTail());
            Thread.sleep(100);
        }
        int beforeKill = epochsOf(trialLog, 1);
        assertTrue(beforeKill >= 2 && beforeKill < EPOCHS, "the second segment is mid-way: epoch " + beforeKill);
        List<ProcessHandle> executors = cluster.executors();
        assertEquals(1, executors.size(), "one executor: " + executors);
        assertTrue(executors.get(0).destroyForcibly(), "kill -9 the executor");
        executors.get(0).onExit().get(30, TimeUnit.SECONDS);

        assertTrue(driver.waitFor(4, TimeUnit.MINUTES), () -> "the driver did not finish\n" + StandaloneCluster.tail(log, 40));
        String out = Files.readString(log);
        assertEquals(0, driver.exitValue(), () -> StandaloneCluster.tail(log, 60) + cluster.logTail());
        assertTrue(out.contains("RESULT OK " + EPOCHS), StandaloneCluster.tail(log, 20));
        // The retried segment started from epoch 1 (the first segment's checkpoint), not from scratch.
        String text = Files.readString(trialLog);
        List<Integer> segmentStarts = new ArrayList<>();
        Matcher header = Pattern.compile("epochs (\\d+) -> all " + EPOCHS).matcher(text);
        while (header.find()) {
            segmentStarts.add(Integer.parseInt(header.group(1)));
        }
        assertEquals(2, segmentStarts.size(), "the second segment (to the full budget) ran twice: " + text);
        assertEquals(1, segmentStarts.get(0), "the second segment started from the first one's checkpoint: " + text);
        int retryFrom = segmentStarts.get(1);
        assertTrue(retryFrom >= 2 && retryFrom <= beforeKill, "the retry continued from the second segment's own checkpoint"
                + " (epoch " + retryFrom + ", killed after epoch " + beforeKill + "): " + text);
        int afterKill = epochsAfterLastHeader(text);
        assertEquals(EPOCHS - retryFrom, afterKill, text);
        assertTrue(afterKill < EPOCHS - 1, "fewer epochs trained after the kill than the full budget, or than the segment");
        assertTrue(Events.read(run.resolve(Events.FILE_NAME)).stream().anyMatch(e -> e.type() == Events.Type.ENVIRONMENT_FAILURE),
                "the retry is an environment_failure event");
    }

    /** Whether the segment from epoch 1 has saved a checkpoint of its own (after epoch 2 or later). */
    private static boolean savedInSecondSegment(Path trialLog) {
        try {
            if (!Files.exists(trialLog)) {
                return false;
            }
            String text = Files.readString(trialLog);
            int at = text.indexOf("epochs 1 -> ");
            return at >= 0 && text.indexOf("checkpoint at epoch ", at) >= 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Epoch lines written by the segment that started at {@code from} (the last such segment). */
    private static int epochsOf(Path trialLog, int from) {
        try {
            if (!Files.exists(trialLog)) {
                return 0;
            }
            String text = Files.readString(trialLog);
            int at = text.lastIndexOf("epochs " + from + " -> ");
            if (at < 0) {
                return 0;
            }
            Matcher m = EPOCH_LINE.matcher(text.substring(at));
            int last = 0;
            while (m.find()) {
                last = Integer.parseInt(m.group(1));
            }
            return last;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static int epochsAfterLastHeader(String text) {
        Matcher m = EPOCH_LINE.matcher(text.substring(text.lastIndexOf("epochs ")));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
