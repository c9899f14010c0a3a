package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.train.HadoopConf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on a file system without append ({@link NoAppendFileSystem}, which refuses it as
 * S3A does): kept on the driver's disk and uploaded whole after every row, so the store holds
 * every finished trial the moment its append returns; the run held by an exclusive
 * {@code run.lock}; a run that died (its lock left behind) resumed with {@code --resume}.
 */
class NoAppendRunDirectoryTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void register() {
        HadoopConf.useSparkSettings(Map.of("spark.hadoop.fs.noappend.impl", NoAppendFileSystem.class.getName(),
                "spark.hadoop.fs.noappend.impl.disable.cache", "true"));
    }

    private JobConfig config() {
        return JobConfig.parse("search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n", tmp.resolve("job.yml"));
    }

    private static TrialResult row(int id) {
        return TrialResult.failed(new Candidate(id, 0, Map.of("x", 0.25)), "row " + id, 1.0);
    }

    @Test
    void everyRowIsInTheStoreWhenItsAppendReturnsAndAResumeAfterACrashContinues() throws Exception {
        Path local = tmp.resolve("store/run");
        String uri = "noappend://" + local;
        RunDirectory first = RunDirectory.open(uri, config(), false, null);
        assertTrue(first.journal().mirrored(), "append refused: the journal is mirrored");
        assertTrue(Files.exists(local.resolve(RunLock.FILE_NAME)), "held by run.lock");
        assertEquals(config().text(), Files.readString(local.resolve(RunDirectory.CONFIG_FILE)));
        for (int i = 0; i < 3; i++) {
            first.journal().append(row(i));
            assertEquals(i + 1, Journal.read(local.resolve(Journal.FILE_NAME)).size(), "uploaded when append returns");
        }
        RunRefusedException busy = assertThrows(RunRefusedException.class, () -> RunDirectory.open(uri, config(), false, null));
        assertTrue(busy.getMessage().contains("is in use by another search (host="), busy.getMessage());
        // The driver dies: its run.lock stays, and a row was being uploaded (torn in the store).
        Files.writeString(local.resolve(Journal.FILE_NAME), "{\"id\": 3, \"gener", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        try (RunDirectory resumed = RunDirectory.open(uri, config(), true, null)) {
            assertEquals(List.of(0, 1, 2), resumed.previousResults().stream().map(TrialResult::id).toList());
            resumed.journal().append(row(3));
            assertEquals(List.of(0, 1, 2, 3), Journal.read(local.resolve(Journal.FILE_NAME)).stream().map(TrialResult::id).toList());
            assertTrue(Files.readString(local.resolve(Journal.FILE_NAME)).endsWith("\n"), "the torn line was cut");
            resumed.writeTrialFile(3, "checkpoint/state.bin", new byte[] {1, 2, 3});
            assertEquals(3, resumed.readTrialFile(3, "checkpoint/state.bin").length);
        }
        assertFalse(Files.exists(local.resolve(RunLock.FILE_NAME)), "released on close");
        first.journal().close();
    }

    @Test
    void aSearchRunsWithItsRunDirectoryOnTheStoreWithoutAppend() throws Exception {
        Path job = tmp.resolve("cmd.yml");
        Files.writeString(job, SearchJobTest.config(4));
        Path local = tmp.resolve("store/search");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        io.finegrained.api.Search.fromFile(job).output("noappend://" + local).master("local[1]")
                .console(new PrintStream(out, true), new PrintStream(err, true)).run();
        List<TrialResult> rows = Journal.read(local.resolve(Journal.FILE_NAME));
        assertTrue(rows.size() >= 4 && rows.stream().allMatch(TrialResult::isOk), err.toString());
        assertTrue(Files.exists(local.resolve("pareto.csv")), err.toString());
        assertTrue(out.toString().contains("in noappend://" + local), out.toString());
        assertFalse(Files.exists(local.resolve(RunLock.FILE_NAME)));
    }
}
