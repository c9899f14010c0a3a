package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the inference latency of the trained network as it is built (a pruned network is the
 * narrow one): the wall time of one forward pass on the trainer's device, at batch 1
 * ({@code latency_ms}, where per-operation dispatch dominates a small network) and at batch
 * {@value #LARGE_BATCH} ({@code latency_ms_b32}, the time of the whole batch, where the
 * arithmetic shows). The output is copied back to the host inside the timed part, so a GPU's
 * asynchronous work is waited for.
 *
 * <p>Repeated until stable: after {@value #WARMUP} untimed passes, rounds of {@value #PER_ROUND}
 * timed passes each give their median; the measure is the median of the round medians, taken
 * once the last {@value #WINDOW} round medians lie within {@value #SPREAD_PERCENT} % of their
 * median (max − min), or after {@value #MAX_ROUNDS} rounds or {@value #BUDGET_MS} ms for one batch
 * size, whichever comes first. {@code latency_spread} reports the final relative spread of the
 * batch-1 rounds (above 0.05 when the budget ran out first: a loaded machine).
 */
final class LatencyProbe {
    static final int LARGE_BATCH = 32;
    private static final int WARMUP = 5;
    private static final int PER_ROUND = 10;
    private static final int WINDOW = 3;
    private static final int MAX_ROUNDS = 10;
    private static final int SPREAD_PERCENT = 5;
    private static final long BUDGET_MS = 4000;

    private LatencyProbe() {
    }

    /** {@code latency_ms}, {@code latency_ms_b32} and {@code latency_spread} of the trainer's network on images of {@code split}. */
    static Map<String, Double> measure(Trainer trainer, LoadedData data, Split split) {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] one = stableMs(trainer, data, split, 1);
        double[] large = stableMs(trainer, data, split, LARGE_BATCH);
        out.put("latency_ms", one[0]);
        out.put("latency_ms_b32", large[0]);
        out.put("latency_spread", one[1]);
        return out;
    }

    /** The median of the timed runs at batch 1 (what {@code latency_ms} is). */
    static double medianMs(Trainer trainer, LoadedData data, Split split) {
        return stableMs(trainer, data, split, 1)[0];
    }

    /** {median ms, relative spread of the last rounds} for one batch of {@code batch} images (repeated when the split has fewer). */
    static double[] stableMs(Trainer trainer, LoadedData data, Split split, int batch) {
        BatchAssembler assembler = new BatchAssembler(data, split, false, batch);
        int n = assembler.set().size();
        int[] order = new int[batch];
        for (int i = 0; i < batch; i++) {
            order[i] = i % n;
        }
        List<Double> rounds = new ArrayList<>();
        double spread = Double.NaN;
        try (NDManager arrays = trainer.getManager().newSubManager()) {
            // The assembler's buffer is reused: copy the images so they stay valid over the runs.
            // A split smaller than the batch (the assembler's buffer holds at most the split) is repeated.
            int have = Math.min(batch, n);
            NDArray x = assembler.images(arrays, order, 0, have, null).duplicate();
            if (have < batch) {
                NDList copies = new NDList();
                for (int i = 0; i * have < batch; i++) {
                    copies.add(x);
                }
                x = ai.djl.ndarray.NDArrays.concat(copies, 0).get("0:" + batch);
            }
            for (int w = 0; w < WARMUP; w++) {
                time(trainer, x);
            }
            long start = System.nanoTime();
            double[] times = new double[PER_ROUND];
            while (rounds.size() < MAX_ROUNDS) {
                for (int r = 0; r < PER_ROUND; r++) {
                    times[r] = time(trainer, x);
                }
                rounds.add(median(times));
                if (rounds.size() >= WINDOW) {
                    double[] last = rounds.subList(rounds.size() - WINDOW, rounds.size()).stream().mapToDouble(Double::doubleValue).toArray();
                    double mid = median(last);
                    spread = (Arrays.stream(last).max().orElse(0) - Arrays.stream(last).min().orElse(0)) / mid;
                    if (spread * 100 < SPREAD_PERCENT || (System.nanoTime() - start) / 1e6 > BUDGET_MS) {
                        break;
                    }
                }
            }
        }
        return new double[] {median(rounds.stream().mapToDouble(Double::doubleValue).toArray()), spread};
    }

    /** One forward pass, in ms; its output freed with its own sub-manager, the input going back to its own. */
    private static double time(Trainer trainer, NDArray x) {
        try (NDManager runArrays = trainer.getManager().newSubManager()) {
            x.tempAttach(runArrays);
            long t0 = System.nanoTime();
            NDArray out = trainer.evaluate(new NDList(x)).singletonOrThrow();
            out.toFloatArray(); // waits for the device
            long t1 = System.nanoTime();
            return (t1 - t0) / 1e6;
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
