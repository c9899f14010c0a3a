package io.finegrained.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code finegrained train}: not written yet. */
@Command(name = "train", description = "Not available yet.")
public final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'train' is not implemented yet");
    }
}
