package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.spark.Events;
import io.finegrained.spark.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real asynchronous search ({@code finegrained search}: SearchJob → AsyncSearchRun →
 * AsyncLoop → SparkSegmentRunner, DJL trials) on a standalone cluster with one one-core
 * executor, whose executor is killed ({@code kill -9}) while trial 0 trains its segment past its
 * first rung: Spark retries the segment on a new executor, which continues from the last
 * checkpoint the killed one saved (the trial folder is shared), so the trial trains fewer epochs
 * after the kill than its budget; its verdict is journaled once, its finished rung is not
 * trained again, and the run completes.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@Tag("cluster") // a standalone Spark cluster on 127.0.0.1
class ClusterSegmentKillTest {
    private static final int EPOCHS = 6;
    /**
     * ASHA with rungs 1 and 6: trial 0, the first at rung 1, always goes on to its full budget,
     * so its second segment trains epochs 2..6; trial 1 follows it.
     */
    private static final String CONFIG = """
            search_algorithm:
              type: AsyncRandomSearch
              population: 2
              samples: 2
              seed: 1
              scheduler: {type: ASHA, eta: 6, min_resource: 1, max_resource: %d}
            search_space:
              modules: ['init', 'head']
              init: {type: SmallInputInitialBlock, init_plane: 4}
              head: {type: LinearClassificationHead, num_class: 10}
              hyper_parameters:
                init.init_plane: {type: CATEGORY, range: [2, 4, 8]}
                trainer.lr: {type: FLOAT_EXP, range: [0.01, 0.2]}
            dataset: {source: synthetic, train_size: 8192, test_size: 64, validation: 0.1}
            trainer: {epochs: %d, batch_size: 32, threads: 1}
            objectives: {accuracy: max}
            spark:
              conf:
                spark.executor.cores: 1
                spark.cores.max: 1
                spark.executor.memory: 1g
                spark.task.maxFailures: 4
                spark.ui.enabled: false
                spark.scheduler.minRegisteredResourcesRatio: 1.0
                spark.scheduler.maxRegisteredResourcesWaitingTime: 120s
            """.formatted(EPOCHS, EPOCHS);
    private static final Pattern EPOCH_LINE = Pattern.compile("^epoch (\\d+)/" + EPOCHS + " ", Pattern.MULTILINE);
    private static final Pattern HEADER = Pattern.compile("epochs (\\d+) -> (\\S+)");

    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start(StandaloneCluster.Options.named("segment-kill"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertEquals(List.of(), cluster.aliveProcesses(), "processes left behind");
        }
    }

    @Test
    void aKilledExecutorsTrialContinuesFromItsCheckpointThroughTheRealLoop() throws Exception {
        Path job = Files.createDirectories(cluster.dir().resolve("job")).resolve("async-djl.yml");
        Files.writeString(job, CONFIG);
        Path run = cluster.dir().resolve("run");
        Path log = cluster.dir().resolve("search.log");
        Process search = cluster.startCli(List.of("search", job.toString(), "--output", run.toString(), "--master",
                cluster.masterUrl()), Map.of(), log);
        Path trialLog = run.resolve("trials/0/trial.log");

        // Wait until the segment past rung 1 has trained and saved an epoch of its own, then kill its executor.
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline) && !savedPastTheFirstRung(trialLog)) {
            assertTrue(search.isAlive(), () -> "the search ended early\n" + StandaloneCluster.tail(log, 40) + cluster.logTail());
            Thread.sleep(100);
        }
        int beforeKill = lastEpochOfSegmentFrom(trialLog, 1);
        assertTrue(beforeKill >= 2 && beforeKill < EPOCHS, "the second segment is mid-way: epoch " + beforeKill);
        List<ProcessHandle> executors = cluster.executors();
        assertEquals(1, executors.size(), "one executor: " + executors);
        assertTrue(executors.get(0).destroyForcibly(), "kill -9 the executor");
        executors.get(0).onExit().get(30, TimeUnit.SECONDS);
        Instant killed = Instant.now();

        cluster.awaitSuccess(search, "the async search", log, Duration.ofMinutes(4));
        String out = Files.readString(log);
        assertTrue(out.contains("search finished (ran 2 trials): 2 trials, 0 failed"), StandaloneCluster.tail(log, 30));

        // trial.log: the first segment (0 -> 1) once; the one past rung 1 twice, the retry from its own checkpoint.
        String text = Files.readString(trialLog);
        List<String> headers = new ArrayList<>();
        Matcher header = HEADER.matcher(text);
        while (header.find()) {
            headers.add(header.group(1) + " -> " + header.group(2));
        }
        assertEquals(3, headers.size(), "three segment starts: " + headers + "\n" + text);
        assertEquals("0 -> 1", headers.get(0), "rung 1 trained once, never again: " + text);
        assertEquals("1 -> all", headers.get(1), "the second segment started from rung 1's checkpoint: " + text);
        Matcher retry = HEADER.matcher(text.substring(text.lastIndexOf("epochs ")));
        assertTrue(retry.find());
        int retryFrom = Integer.parseInt(retry.group(1));
        assertTrue(retryFrom >= 2 && retryFrom <= beforeKill, "the retry continued from the second segment's own checkpoint"
                + " (epoch " + retryFrom + ", killed after epoch " + beforeKill + "): " + text);
        int afterKill = epochsAfterLastHeader(text);
        assertEquals(EPOCHS - retryFrom, afterKill, text);
        assertTrue(afterKill < EPOCHS - 1, "fewer epochs trained after the kill than the budget, or than the segment: " + afterKill);

        // The journal: one verdict per trial; trial 0 OK at its full budget, finished after the kill.
        List<TrialResult> journal = Journal.read(run.resolve(Journal.FILE_NAME));
        assertEquals(List.of(0, 1), journal.stream().map(TrialResult::id).sorted().toList(), "each verdict once: " + journal);
        TrialResult zero = journal.stream().filter(r -> r.id() == 0).findFirst().orElseThrow();
        assertEquals(TrialStatus.OK, zero.status(), zero.toString());
        assertEquals(EPOCHS, zero.resource(), zero.toString());
        assertTrue(zero.finished().isBefore(Instant.now()) && zero.finished().isAfter(killed.minusSeconds(1)), zero.toString());

        // The events: the retry is an environment failure; every rung reached once; rung 1's decision once.
        List<Events.Event> events = Events.read(run.resolve(Events.FILE_NAME));
        assertEquals(1, events.stream().filter(e -> e.type() == Events.Type.ENVIRONMENT_FAILURE && e.id() == 0).count(),
                "the lost executor, once: " + events);
        Map<String, Long> rungs = events.stream().filter(e -> e.type() == Events.Type.RUNG)
                .collect(Collectors.groupingBy(e -> e.id() + "@" + e.resource(), TreeMap::new, Collectors.counting()));
        assertTrue(rungs.values().stream().allMatch(n -> n == 1), "no rung reached twice: " + rungs);
        assertEquals(1L, rungs.get("0@1"), rungs.toString());
        assertEquals(1L, rungs.get("0@" + EPOCHS), rungs.toString());
        assertEquals(List.of(Events.Type.STARTED, Events.Type.CHECKPOINT, Events.Type.RUNG, Events.Type.CONTINUED,
                Events.Type.STARTED, Events.Type.ENVIRONMENT_FAILURE, Events.Type.RUNG),
                events.stream().filter(e -> e.id() == 0).map(Events.Event::type).toList(), "trial 0's record: " + events);
    }

    /** Whether the segment from epoch 1 has saved a checkpoint of its own (after epoch 2 or later). */
    private static boolean savedPastTheFirstRung(Path trialLog) {
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

    /** The last epoch line written by the segment that started at {@code from} (the last such segment). */
    private static int lastEpochOfSegmentFrom(Path trialLog, int from) throws java.io.IOException {
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
