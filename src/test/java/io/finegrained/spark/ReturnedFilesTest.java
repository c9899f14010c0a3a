package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.SegmentRunner;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.trial.CommandSegmentTrial;
import io.finegrained.trial.CommandTrial;
import io.finegrained.trial.TrialFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark side of returned trial files, on a real local Spark: a task whose trial could not
 * write into the run directory (its destination's token is not the one the driver wrote, as on
 * an executor that sees another folder at that path) sends its files with its result, and the
 * driver writes them into {@code trials/<id>/} before the result counts.
 */
class ReturnedFilesTest {
    private final SparkSession spark = TestSpark.session();
    @TempDir
    Path tmp;

    private final List<Path> staging = new ArrayList<>();

    /** A destination naming the driver's trials folder with a token that is not there. */
    private TrialFiles.Destination elsewhere(Path trials, long limit) {
        TrialFiles.Destination run = TrialFiles.Destination.create(trials, limit);
        TrialFiles.Destination away = new TrialFiles.Destination(run.trialsDirectory(), run.token() + "-elsewhere", limit);
        staging.add(away.folder(0).getParent());
        return away;
    }

    /** This machine's staging folders (a segment trial's checkpoint/ stays there by design). */
    @AfterEach
    void removeStaging() throws Exception {
        for (Path root : staging) {
            if (Files.exists(root)) {
                try (var walk = Files.walk(root)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    @Test
    void aGenerationsFilesArriveOnTheDriverBeforeItsResults() throws Exception {
        Path trials = tmp.resolve("run/trials");
        TrialFiles.Destination away = elsewhere(trials, 3000);
        String script = "id=$(sed -n 's/.*\"id\":\\([0-9]*\\).*/\\1/p' candidate.json); echo \"log of $id\" >&2; "
                + "if [ \"$id\" = 1 ]; then head -c 5000 /dev/zero > big.bin; fi; echo '{\"f\": 1}'";
        CommandTrial trial = new CommandTrial(List.of("/bin/sh", "-c", script), 30, away, CommandTrial.DEFAULT_LOG_LIMIT);
        List<String> notes = new CopyOnWriteArrayList<>();
        List<Boolean> logsThereOnAccept = new ArrayList<>();
        List<Candidate> candidates = List.of(new Candidate(0, 0, Map.of("x", 0.1)), new Candidate(1, 0, Map.of("x", 0.2)));
        new SparkTrialEvaluator(spark, trial, notes::add).evaluate(candidates, "returned files", r -> {
            logsThereOnAccept.add(Files.exists(trials.resolve(r.id() + "/stderr.log")));
            return true;
        });
        assertEquals(List.of(true, true), logsThereOnAccept, "each trial's files were written before its result was accepted");
        for (int id : List.of(0, 1)) {
            assertEquals("log of " + id + "\n", Files.readString(trials.resolve(id + "/stderr.log")));
            assertTrue(Files.readString(trials.resolve(id + "/stdout.log")).contains("{\"f\": 1}"));
        }
        assertFalse(Files.exists(trials.resolve("1/big.bin")), "over the bound of 3000 bytes");
        assertEquals(1, notes.size(), "one note, for trial 1: " + notes);
        assertTrue(notes.get(0).startsWith("note: trial 1: 1 file(s), 5000 bytes, over trial.return_files_max_mb stayed on "),
                notes.get(0));
        Path stayed = away.folder(1);
        assertTrue(notes.get(0).contains(" in " + stayed.toAbsolutePath()), notes.get(0));
        assertEquals(5000, Files.size(stayed.resolve("big.bin")), "the file is where the note says");
        assertTrue(Files.readString(trials.resolve("1").resolve(TrialFiles.STAYED_FILE)).contains("big.bin\t5000 bytes"));
        assertFalse(Files.exists(away.folder(0)), "trial 0's local folder is gone: everything came back");
    }

    @Test
    void aLaterSegmentsLogIsAppendedToTheEarlierOnesOnTheDriver() throws Exception {
        Path trials = tmp.resolve("run/trials");
        TrialFiles.Destination away = elsewhere(trials, 1 << 20);
        String script = "read -r line; r=$(echo \"$line\" | sed -n 's/.*\"resource\":\\([0-9]*\\).*/\\1/p'); "
                + "echo \"segment to $r\"; echo \"{\\\"resource\\\": $r, \\\"f\\\": $r}\"";
        CommandSegmentTrial trial = new CommandSegmentTrial(List.of("/bin/sh", "-c", script), 30, away);
        SparkSegmentRunner runner = new SparkSegmentRunner(spark, trial, false, trials, null);
        Candidate c = new Candidate(4, 0, Map.of("x", 0.5));
        runner.start(c, 0, 1);
        SegmentRunner.Segment first = runner.next();
        assertEquals(TrialStatus.OK, first.result().status(), String.valueOf(first.result().error()));
        runner.start(c, 1, 2);
        TrialResult second = runner.next().result();
        assertEquals(TrialStatus.OK, second.status(), String.valueOf(second.error()));
        assertEquals(Map.of("f", 2.0), second.metrics());
        assertEquals("segment to 1\n{\"resource\": 1, \"f\": 1}\nsegment to 2\n{\"resource\": 2, \"f\": 2}\n",
                Files.readString(trials.resolve("4/stdout.log")), "both segments' output, in order, on the driver");
    }
}
