package io.finegrained.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code finegrained explain}: not written yet. */
@Command(name = "explain", description = "Not available yet.")
public final class ExplainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'explain' is not implemented yet");
    }
}
