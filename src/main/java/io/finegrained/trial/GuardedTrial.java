package io.finegrained.trial;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.train.DatasetException;
import java.io.IOError;
import java.io.UncheckedIOException;

/**
 * Runs a trial so that nothing a candidate does escapes as an exception: a throw, a catchable
 * out-of-memory error or a stack overflow becomes a {@code FAILED} result with the reason.
 * Why: Spark retries a task that throws, and a candidate that fails deterministically would only
 * fail again (and a failing trial must never end its generation). Two things pass through, as
 * they are not the candidate's verdict: an interruption (the job was cancelled: cancelling stays
 * quick) and an {@link EnvironmentFailureException}. An I/O error ({@link UncheckedIOException},
 * {@link IOError}) or unreadable data ({@link DatasetException}) becomes one: the files a trial
 * reads and writes are the environment's, not the candidate's. Out of memory stays the
 * candidate's: the network it describes is what did not fit.
 */
public final class GuardedTrial {
    private GuardedTrial() {
    }

    public static TrialResult run(TrialRunner runner, Candidate candidate) {
        long start = System.nanoTime();
        try {
            return runner.run(candidate);
        } catch (TrialInterruptedException | EnvironmentFailureException e) {
            throw e;
        } catch (UncheckedIOException | IOError | DatasetException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new TrialInterruptedException("trial " + candidate.id() + " was cancelled");
            }
            throw new EnvironmentFailureException("trial " + candidate.id() + " could not read or write its files: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            // Free what we can before describing it: the trial's arrays are unreachable now.
            return TrialResult.failed(candidate, "out of memory: " + describe(e), seconds(start));
        } catch (Throwable e) { // NOPMD - deliberately everything: a candidate must not kill the task
            if (Thread.currentThread().isInterrupted()) {
                throw new TrialInterruptedException("trial " + candidate.id() + " was cancelled");
            }
            return TrialResult.failed(candidate, describe(e), seconds(start));
        }
    }

    /** The exception's class and message, and its root cause's when that says more. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = oneLine(e);
        if (root != e) {
            text += " (cause: " + oneLine(root) + ")";
        }
        return text;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        String name = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
