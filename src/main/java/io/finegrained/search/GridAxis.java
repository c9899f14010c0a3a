package io.finegrained.search;

import io.finegrained.space.Domain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The points of one parameter on a grid, by index, never listed in memory: categories and
 * booleans as they are, integers all of them (or {@code grid_points} evenly spaced ones when the
 * range is wider), reals {@code grid_points} evenly spaced (geometrically for FLOAT_EXP), binary
 * codes every code (every code with the fixed number of ones, when set), in numeric order.
 */
public record GridAxis(String key, Domain domain, Integer gridPoints) {

    /** The number of points; null when a real axis has no {@code grid_points}. */
    public BigInteger size() {
        if (domain instanceof Domain.Category c) {
            return BigInteger.valueOf(c.values().size());
        }
        if (domain instanceof Domain.Bool) {
            return BigInteger.TWO;
        }
        if (domain instanceof Domain.IntRange i) {
            BigInteger all = BigInteger.valueOf(i.high()).subtract(BigInteger.valueOf(i.low())).add(BigInteger.ONE);
            return gridPoints != null && all.compareTo(BigInteger.valueOf(gridPoints)) > 0 ? BigInteger.valueOf(gridPoints) : all;
        }
        if (domain instanceof Domain.FloatRange f) {
            return gridPoints == null ? null : BigInteger.valueOf(f.low() == f.high() ? 1 : gridPoints);
        }
        Domain.BinaryCode code = (Domain.BinaryCode) domain;
        return code.ones() == null ? BigInteger.TWO.pow(code.length()) : binomial(code.length(), code.ones());
    }

    /** The value at an index in [0, size). */
    Object value(BigInteger index) {
        if (domain instanceof Domain.Category c) {
            return c.values().get(index.intValueExact());
        }
        if (domain instanceof Domain.Bool) {
            return index.signum() != 0;
        }
        if (domain instanceof Domain.IntRange i) {
            BigInteger all = BigInteger.valueOf(i.high()).subtract(BigInteger.valueOf(i.low())).add(BigInteger.ONE);
            if (gridPoints == null || all.compareTo(BigInteger.valueOf(gridPoints)) <= 0) {
                return i.low() + index.longValueExact();
            }
            if (gridPoints == 1) {
                return i.low() + (i.high() - i.low()) / 2;
            }
            double t = index.doubleValue() / (gridPoints - 1);
            return Math.min(i.high(), Math.max(i.low(), i.low() + Math.round(t * ((double) i.high() - i.low()))));
        }
        if (domain instanceof Domain.FloatRange f) {
            int n = size().intValueExact();
            double t = n == 1 ? 0.5 : index.doubleValue() / (n - 1);
            if (t == 0 || t == 1) {
                return t == 0 ? f.low() : f.high();
            }
            double v = f.log() ? Math.exp(Math.log(f.low()) + t * (Math.log(f.high()) - Math.log(f.low())))
                    : f.low() + t * (f.high() - f.low());
            return Math.min(f.high(), Math.max(f.low(), v));
        }
        Domain.BinaryCode code = (Domain.BinaryCode) domain;
        return code.ones() == null ? bits(index, code.length()) : combination(index, code.length(), code.ones());
    }

    private static List<Integer> bits(BigInteger index, int length) {
        List<Integer> out = new ArrayList<>(length);
        for (int i = length - 1; i >= 0; i--) {
            out.add(index.testBit(i) ? 1 : 0);
        }
        return List.copyOf(out);
    }

    /** The index-th code of {@code length} bits with {@code ones} ones, in numeric order. */
    private static List<Integer> combination(BigInteger index, int length, int ones) {
        List<Integer> out = new ArrayList<>(length);
        BigInteger rest = index;
        int left = ones;
        for (int pos = 0; pos < length; pos++) {
            int remaining = length - pos - 1;
            // Codes with a 0 here come first: there are C(remaining, left) of them.
            BigInteger withZero = binomial(remaining, left);
            if (left > 0 && rest.compareTo(withZero) >= 0) {
                out.add(1);
                rest = rest.subtract(withZero);
                left--;
            } else {
                out.add(0);
            }
        }
        return List.copyOf(out);
    }

    static BigInteger binomial(int n, int k) {
        if (k < 0 || k > n) {
            return BigInteger.ZERO;
        }
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }
}
