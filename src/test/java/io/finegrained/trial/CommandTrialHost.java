package io.finegrained.trial;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A JVM that runs one command trial, for the tests that kill or interrupt the JVM running a
 * trial: {@code CommandTrialHost TRIALS_DIR OUTCOME_FILE PROGRAM ARGS...}. Writes the outcome
 * ({@code OK ...}, {@code FAILED reason}, {@code INTERRUPTED message}) to OUTCOME_FILE; on
 * SIGINT/SIGTERM a shutdown hook waits for it, as the search job's hook waits for its run.
 */
public final class CommandTrialHost {
    private CommandTrialHost() {
    }

    public static void main(String[] args) throws Exception {
        Path trials = Path.of(args[0]);
        Path outcome = Path.of(args[1]);
        List<String> command = Arrays.asList(args).subList(2, args.length);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        String text;
        try {
            TrialResult r = GuardedTrial.run(new CommandTrial(command, 600, trials.toString()), new Candidate(0, 0, Map.of("x", 1)));
            text = r.isOk() ? "OK " + r.metrics() : "FAILED " + r.error();
        } catch (TrialInterruptedException e) {
            text = "INTERRUPTED " + e.getMessage();
        }
        Files.writeString(outcome.resolveSibling(outcome.getFileName() + ".tmp"), text);
        Files.move(outcome.resolveSibling(outcome.getFileName() + ".tmp"), outcome);
    }
}
