package io.finegrained.search.async;

import io.finegrained.search.Candidate;
import io.finegrained.search.Replay;
import io.finegrained.space.Domain;
import io.finegrained.space.ParameterSpace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated trials of the scheduling benchmarks and tests: a small convolutional network's
 * space (width, depth, learning rate) whose trials follow a learning curve, cost time in
 * proportion to the epochs they train, and measure accuracy, MACs and params.
 *
 * <ul>
 *   <li>{@code width} INT [16, 128], {@code depth} INT [2, 20], {@code lr} FLOAT_EXP [1e-4, 1].</li>
 *   <li>Static: MACs = 9·784·depth·width² (3×3 convolutions on 28×28), params = 9·depth·width² + 10·width.
 *       Capacity c ∈ [0, 1] is log(MACs) scaled between the space's smallest and largest network.</li>
 *   <li>Accuracy after r epochs: a(r) = a∞ − (a∞ − a0)·(1 + r)^−α + ε, with a0 = 0.10 (chance on ten
 *       classes), a∞ = 0.60 + 0.32·q·(0.5 + 0.5·√c) + 0.03·(u1 − ½), q = exp(−(log10 lr + 1.5)² / 0.5) the
 *       learning rate's fitness (best at 0.03), α = 0.6 + 0.6·(1 − c) (small networks converge sooner,
 *       so an early rung flatters them, as it does in real training), ε uniform in ±0.005 per
 *       (candidate, epoch).</li>
 *   <li>A candidate with lr > 0.5 diverges (fails) one time in two.</li>
 *   <li>Seconds per epoch: 5.2 + 6.9·(0.6·c + 0.4·u2), so the range of the quick start's measured
 *       one-epoch trials (5.2–12.1 s), larger networks slower; a segment costs its epochs times that.</li>
 * </ul>
 * u1, u2 and ε are hashes of the candidate's values (and the epoch): the same candidate always
 * measures the same, which makes a simulated run a pure function of its seed.
 */
public final class LearningCurves implements SimulatedCluster.Model {
    private static final double MACS_MIN = macs(2, 16);
    private static final double MACS_MAX = macs(20, 128);
    private final int epochs;

    /** @param epochs the full budget of a trial */
    public LearningCurves(int epochs) {
        this.epochs = epochs;
    }

    /** The space the model measures. */
    public static ParameterSpace space() {
        Map<String, Domain> d = new LinkedHashMap<>();
        d.put("width", new Domain.IntRange(16, 128, null));
        d.put("depth", new Domain.IntRange(2, 20, null));
        d.put("lr", new Domain.FloatRange(1e-4, 1, true, null));
        return new ParameterSpace(d);
    }

    @Override
    public int fullResource() {
        return epochs;
    }

    @Override
    public double seconds(Candidate trial, int from, int to) {
        return perEpoch(trial.hyperparameters()) * (to - from);
    }

    @Override
    public Map<String, Double> metrics(Candidate trial, int resource) {
        Map<String, Object> v = trial.hyperparameters();
        double lr = ((Number) v.get("lr")).doubleValue();
        long h = hash(v);
        if (lr > 0.5 && unit(h, 3) < 0.5) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", accuracy(v, resource));
        out.put("macs", macs(depth(v), width(v)));
        out.put("params", 9.0 * depth(v) * width(v) * width(v) + 10.0 * width(v));
        return out;
    }

    /** The accuracy after {@code r} epochs, noise included. */
    public static double accuracy(Map<String, Object> v, int r) {
        double c = capacity(v);
        double lr = ((Number) v.get("lr")).doubleValue();
        long h = hash(v);
        double q = Math.exp(-Math.pow(Math.log10(lr) + 1.5, 2) / 0.5);
        double aInf = 0.60 + 0.32 * q * (0.5 + 0.5 * Math.sqrt(c)) + 0.03 * (unit(h, 1) - 0.5);
        double alpha = 0.6 + 0.6 * (1 - c);
        double noise = 0.01 * (unit(h, 100 + r) - 0.5);
        return aInf - (aInf - 0.10) * Math.pow(1 + r, -alpha) + noise;
    }

    private static double perEpoch(Map<String, Object> v) {
        return 5.2 + 6.9 * (0.6 * capacity(v) + 0.4 * unit(hash(v), 2));
    }

    private static double capacity(Map<String, Object> v) {
        return Math.log(macs(depth(v), width(v)) / MACS_MIN) / Math.log(MACS_MAX / MACS_MIN);
    }

    private static double macs(long depth, long width) {
        return 9.0 * 784 * depth * width * width;
    }

    private static long depth(Map<String, Object> v) {
        return ((Number) v.get("depth")).longValue();
    }

    private static long width(Map<String, Object> v) {
        return ((Number) v.get("width")).longValue();
    }

    static long hash(Map<String, Object> values) {
        return Replay.normalized(values).toString().hashCode();
    }

    /** A uniform number in [0, 1) from a hash and a stream index (SplitMix64's finalizer). */
    static double unit(long h, long stream) {
        long z = h * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
