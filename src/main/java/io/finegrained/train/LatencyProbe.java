package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import java.util.Arrays;

/**
 * Measures {@code latency_ms}: the median wall time of one forward pass on one image on the
 * trainer's device, after a few untimed passes. The output is copied back to the host inside the
 * timed part, so a GPU's asynchronous work is waited for.
 */
final class LatencyProbe {
    private static final int WARMUP = 5;
    private static final int RUNS = 30;

    private LatencyProbe() {
    }

    /** The median of the timed runs on the first image of {@code split}, in milliseconds. */
    static double medianMs(Trainer trainer, LoadedData data, Split split) {
        BatchAssembler one = new BatchAssembler(data, split, false, 1);
        double[] times = new double[RUNS];
        try (NDManager arrays = trainer.getManager().newSubManager()) {
            NDArray x = one.images(arrays, new int[] {0}, 0, 1, null);
            // The assembler's buffer is reused: copy the image so it stays valid over the runs.
            NDArray image = x.duplicate();
            for (int run = -WARMUP; run < RUNS; run++) {
                // Each run's output is freed with its own sub-manager; the image goes back to its own.
                try (NDManager runArrays = trainer.getManager().newSubManager()) {
                    image.tempAttach(runArrays);
                    long t0 = System.nanoTime();
                    NDArray out = trainer.evaluate(new NDList(image)).singletonOrThrow();
                    out.toFloatArray(); // waits for the device
                    long t1 = System.nanoTime();
                    if (run >= 0) {
                        times[run] = (t1 - t0) / 1e6;
                    }
                }
            }
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }
}
