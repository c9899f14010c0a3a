package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a suspicious user gets from the CLI (issue #14): exit 2, one message, nothing destroyed. */
class HostileInputCliTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream out = console.out();
    private final ByteArrayOutputStream err = console.err();

    private Path job() throws Exception {
        Path file = tmp.resolve("job.yml");
        Files.writeString(file, "search_algorithm: {type: RandomSearch, samples: 2, seed: 1}\n"
                + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n"
                + "trial: {type: command, command: [/bin/sh, -c, 'echo {\\\"f\\\": 1}'], timeout_s: 30}\n"
                + "objectives: {f: min}\n");
        return file;
    }

    @Test
    void searchIntoAUsersFolderExits2AndTouchesNothing() throws Exception {
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine.resolve("trials/0"));
        Files.writeString(mine.resolve("config.yml"), "mine\n");
        Files.writeString(mine.resolve("trials/0/keep.txt"), "keep\n");
        long time = Files.getLastModifiedTime(mine.resolve("config.yml")).toMillis();

        assertEquals(2, Main.run("search", job().toString(), "--output", mine.toString()));
        String message = err.toString();
        assertTrue(message.startsWith("finegrained: the run directory " + mine + " is not empty and is not a run of finegrained: "
                + "it holds 2 entries (config.yml, trials/)"), message);
        assertFalse(message.contains("\tat "), "no stack trace: " + message);
        assertEquals("mine\n", Files.readString(mine.resolve("config.yml")));
        assertEquals(time, Files.getLastModifiedTime(mine.resolve("config.yml")).toMillis());
        assertEquals("keep\n", Files.readString(mine.resolve("trials/0/keep.txt")));
        assertEquals(2, Files.list(mine).count(), "no lock, marker or journal was added");
    }

    @Test
    void aMissingProgramWritesNoTrialRowAndResumeRunsTheTrialsOnceItIsThere() throws Exception {
        Path conf = tmp.resolve("job.yml");
        Files.writeString(conf, "search_algorithm: {type: RandomSearch, samples: 2, seed: 1}\n"
                + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n"
                + "trial: {type: command, command: [./train.sh], timeout_s: 30}\n"
                + "objectives: {f: min}\n");
        Path run = tmp.resolve("run");
        assertEquals(1, Main.run("search", conf.toString(), "--output", run.toString(), "--master", "local[1]"));
        assertTrue(err.toString().contains("trial 0 could not run on executor driver ("), err.toString());
        assertTrue(err.toString().contains("the trial program ./train.sh does not exist on "), err.toString());
        assertTrue(err.toString().contains("2 trials of generation 1 could not run because of their environment, not their candidate"),
                err.toString());
        assertEquals("", Files.readString(run.resolve("trials.jsonl")), "an environment failure is not a verdict");

        Path script = tmp.resolve("train.sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"f\": 1}'\n");
        assertTrue(script.toFile().setExecutable(true));
        err.reset();
        assertEquals(0, Main.run("search", conf.toString(), "--output", run.toString(), "--resume", "--master", "local[1]"), err.toString());
        List<String> rows = Files.readAllLines(run.resolve("trials.jsonl"));
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.contains("\"status\":\"OK\"")), rows.toString());
    }

    @Test
    void aNanObjectiveIsJournaledAsNan() throws Exception {
        Path conf = tmp.resolve("nan.yml");
        Files.writeString(conf, "search_algorithm: {type: RandomSearch, samples: 1, seed: 1}\n"
                + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n"
                + "trial: {type: command, command: [/bin/sh, -c, 'echo {\\\"f\\\": 0.5}; echo {\\\"f\\\": NaN}'], timeout_s: 30}\n"
                + "objectives: {f: min}\n");
        Path run = tmp.resolve("nan-run");
        Main.run("search", conf.toString(), "--output", run.toString(), "--master", "local[1]");
        List<String> rows = Files.readAllLines(run.resolve("trials.jsonl"));
        assertEquals(1, rows.size(), err.toString());
        assertTrue(rows.get(0).contains("\"status\":\"FAILED\""), rows.get(0));
        assertTrue(rows.get(0).contains("\"error\":\"the objective 'f' is NaN\""), rows.get(0));
    }

    @Test
    void anAliasBombABinaryFileAndADeepFileExit2WithALocatedMessage() throws Exception {
        Path bomb = tmp.resolve("bomb.yml");
        Files.writeString(bomb, "search_space:\n  hyper_parameters: {}\n" + io.finegrained.config.YamlBoundsTest.aliasBomb());
        assertEquals(2, Main.run("explain", bomb.toString()));
        assertTrue(err.toString().contains(bomb + ":8:5: a5: aliases (*name) expand this value to 1,111,111 nodes"), err.toString());

        err.reset();
        Path binary = tmp.resolve("model.yml");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        assertEquals(2, Main.run("search", binary.toString(), "--output", tmp.resolve("run").toString()));
        assertTrue(err.toString().contains(binary + ":1:1: the file is not UTF-8 text: byte 0x89 (at offset 0)"), err.toString());
        assertFalse(err.toString().contains("Input length"), err.toString());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing was created for a file that is not a configuration");

        err.reset();
        Path deep = tmp.resolve("deep.yml");
        Files.writeString(deep, "search_space: " + "[".repeat(100_000) + "\n");
        assertEquals(2, Main.run("explain", deep.toString()));
        assertTrue(err.toString().contains(deep + ":1:78: the lists and maps nest deeper than 64 levels here"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }
}
