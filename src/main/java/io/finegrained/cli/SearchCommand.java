package io.finegrained.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code finegrained search}: not written yet. */
@Command(name = "search", description = "Not available yet.")
public final class SearchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'search' is not implemented yet");
    }
}
