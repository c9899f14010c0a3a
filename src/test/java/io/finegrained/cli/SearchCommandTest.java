package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.trial.TestPrograms;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code finegrained search} as a user runs it: exit codes and what each case prints. */
class SearchCommandTest {
    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream out = console.out();
    private final ByteArrayOutputStream err = console.err();

    private Path job(String mode, String objectives) throws Exception {
        StringBuilder command = new StringBuilder();
        for (String part : TestPrograms.command(mode)) {
            command.append(command.length() > 0 ? ", " : "").append('"').append(part).append('"');
        }
        Path file = tmp.resolve(mode + ".yml");
        Files.writeString(file, "search_algorithm: {type: NSGA2, population: 4, generations: 2, seed: 5}\n"
                + "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n    y: {type: FLOAT, range: [0.0, 1.0]}\n"
                + "trial: {type: command, command: [" + command + "], timeout_s: 60}\n"
                + "objectives: " + objectives + "\n");
        return file;
    }

    @Test
    void aRunThenTheSameDirectoryWithoutAndWithResume() throws Exception {
        Path conf = job("quadratic", "{f1: min, f2: min}");
        String run = tmp.resolve("run").toString();
        assertEquals(0, Main.run("search", conf.toString(), "--output", run, "--master", "local[2]"), err.toString());
        assertEquals(8, Files.readAllLines(Path.of(run, "trials.jsonl")).size());
        assertTrue(out.toString().contains("Pareto front (f1 min, f2 min)"), out.toString());

        err.reset();
        assertEquals(2, Main.run("search", conf.toString(), "--output", run));
        assertTrue(err.toString().contains("add --resume to continue it, or choose another directory with --output"), err.toString());

        out.reset();
        assertEquals(0, Main.run("search", conf.toString(), "--output", run, "--resume"));
        assertTrue(out.toString().contains("the run is complete; nothing was run"), out.toString());
        assertEquals(8, Files.readAllLines(Path.of(run, "trials.jsonl")).size());
    }

    @Test
    void aTrialThatDoesNotReportAnObjectiveStopsTheRunWithExit2() throws Exception {
        Path conf = job("omit", "{f1: min, f2: min}");
        assertEquals(2, Main.run("search", conf.toString(), "--output", tmp.resolve("run").toString()));
        assertTrue(err.toString().contains("did not report the objective 'f2' (it reported [f1])"), err.toString());
    }

    @Test
    void aConfigurationErrorIsLocatedWithExit2() throws Exception {
        Path conf = job("quadratic", "{f1: smallest}");
        assertEquals(2, Main.run("search", conf.toString(), "--output", tmp.resolve("run").toString()));
        assertTrue(err.toString().startsWith("configuration error: " + conf + ":7:18: objectives.f1: "), err.toString());
        assertTrue(!Files.exists(tmp.resolve("run")), "nothing is created for a bad file");
    }
}
