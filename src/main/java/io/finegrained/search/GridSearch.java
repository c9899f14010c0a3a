package io.finegrained.search;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid search, enumerated lazily: a point is computed from its index (mixed radix over the axes,
 * the last parameter turning fastest), so no grid is ever held in memory. With {@code samples}
 * below the grid's size it visits a seeded subset spread over the whole grid: index k maps to
 * (offset + k × stride) mod size with a stride coprime to the size, a permutation of the grid.
 * Points the constraints refuse are skipped and not counted.
 */
public final class GridSearch implements SearchAlgorithm {
    private final Genome genome;
    private final List<GridAxis> axes;
    private final BigInteger size;
    private final int budget;
    private final int batch;
    private final CandidateGate gate;
    private final Pending pending;
    private final BigInteger offset;
    private final BigInteger stride;
    private BigInteger next = BigInteger.ZERO;
    private int proposed;

    public GridSearch(Genome genome, List<GridAxis> axes, int budget, int batch, long seed, CandidateGate gate) {
        this.genome = genome;
        this.axes = List.copyOf(axes);
        this.size = sizeOf(axes);
        this.budget = budget;
        this.batch = batch;
        this.gate = gate;
        this.pending = new Pending(genome);
        if (BigInteger.valueOf(budget).compareTo(size) >= 0) {
            offset = BigInteger.ZERO;
            stride = BigInteger.ONE;
        } else {
            Rng rng = new Rng(seed);
            offset = randomBelow(size, rng);
            BigInteger s;
            do {
                s = randomBelow(size.subtract(BigInteger.ONE), rng).add(BigInteger.ONE);
            } while (!s.gcd(size).equals(BigInteger.ONE));
            stride = s;
        }
    }

    /** The number of points of the grid over these axes. */
    public static BigInteger sizeOf(List<GridAxis> axes) {
        BigInteger n = BigInteger.ONE;
        for (GridAxis a : axes) {
            n = n.multiply(a.size());
        }
        return n;
    }

    private static BigInteger randomBelow(BigInteger bound, Rng rng) {
        if (bound.signum() <= 0) {
            return BigInteger.ZERO;
        }
        int bits = bound.bitLength() + 64;
        BigInteger r = BigInteger.ZERO;
        for (int i = 0; i < bits; i += 63) {
            r = r.shiftLeft(63).or(BigInteger.valueOf(rng.nextLong() >>> 1));
        }
        return r.mod(bound);
    }

    @Override
    public List<Map<String, Object>> ask() {
        List<Map<String, Object>> out = new ArrayList<>();
        int n = Math.min(batch, budget - proposed);
        while (out.size() < n && next.compareTo(size) < 0) {
            Map<String, Object> values = point(offset.add(next.multiply(stride)).mod(size));
            next = next.add(BigInteger.ONE);
            if (gate.admit(values)) {
                out.add(values);
            }
        }
        if (out.isEmpty()) {
            return List.of();
        }
        proposed += out.size();
        pending.open(out);
        return out;
    }

    private Map<String, Object> point(BigInteger index) {
        Object[] values = new Object[axes.size()];
        BigInteger rest = index;
        for (int i = axes.size() - 1; i >= 0; i--) {
            BigInteger[] qr = rest.divideAndRemainder(axes.get(i).size());
            values[i] = axes.get(i).value(qr[1]);
            rest = qr[0];
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < axes.size(); i++) {
            out.put(axes.get(i).key(), values[i]);
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void tell(List<TrialResult> results) {
        pending.close(results);
    }

    @Override
    public int budget() {
        return budget;
    }

    @Override
    public String name() {
        return "GridSearch";
    }

    /** The number of points of the whole grid. */
    public BigInteger gridSize() {
        return size;
    }

    /** The genes of the grid's parameters (their canonical forms). */
    @Override
    public Genome genome() {
        return genome;
    }
}
