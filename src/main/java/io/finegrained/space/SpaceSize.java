package io.finegrained.space;

import java.math.BigInteger;
import java.util.List;

/**
 * How many candidates a space holds: the product of its domains' sizes, exact for discrete
 * domains, "continuous" as soon as one real range is open. Pure arithmetic on the domains, so it
 * can be shown before anything is searched.
 *
 * @param count the number of candidates when {@code continuous} is false (else the number of
 *              discrete combinations, the real axes left out)
 * @param continuous true when some domain is a real range wider than one point
 */
public record SpaceSize(BigInteger count, boolean continuous) {

    /** One value: the size of a space that opens nothing. */
    public static final SpaceSize ONE = new SpaceSize(BigInteger.ONE, false);

    /** The size of the space the product of these domains spans. */
    public static SpaceSize of(ParameterSpace space, boolean keepOnes) {
        SpaceSize size = ONE;
        for (Domain d : space.domains().values()) {
            size = size.times(of(d, keepOnes));
        }
        return size;
    }

    /**
     * The size of one domain.
     *
     * @param keepOnes a binary code written as a plain list (no {@code ones}) keeps the number of
     *                 ones of that list, as BackboneNas evolves it: C(length, ones) codes, not 2^length
     */
    public static SpaceSize of(Domain domain, boolean keepOnes) {
        if (domain instanceof Domain.BinaryCode code) {
            Integer ones = ones(code, keepOnes);
            return exact(ones == null ? BigInteger.TWO.pow(code.length()) : binomial(code.length(), ones));
        }
        if (domain instanceof Domain.Category c) {
            return exact(BigInteger.valueOf(c.values().size()));
        }
        if (domain instanceof Domain.Bool) {
            return exact(BigInteger.TWO);
        }
        if (domain instanceof Domain.IntRange r) {
            return exact(BigInteger.valueOf(r.high()).subtract(BigInteger.valueOf(r.low())).add(BigInteger.ONE));
        }
        Domain.FloatRange f = (Domain.FloatRange) domain;
        return f.low() == f.high() ? ONE : new SpaceSize(BigInteger.ONE, true);
    }

    /** The fixed number of ones of a binary code under the rule, or null when the count is free. */
    public static Integer ones(Domain.BinaryCode code, boolean keepOnes) {
        if (code.ones() != null) {
            return code.ones();
        }
        if (keepOnes && code.defaultCode() != null) {
            return code.defaultCode().stream().mapToInt(Integer::intValue).sum();
        }
        return null;
    }

    /** {@code values^length}: a list of {@code length} entries, each one of {@code values} choices. */
    public static SpaceSize lists(int values, int length) {
        return exact(BigInteger.valueOf(values).pow(length));
    }

    /** Π (2^w - 1): one keep-mask per channel group of width w, none of them empty. */
    public static SpaceSize masks(List<Integer> widths) {
        BigInteger n = BigInteger.ONE;
        for (int w : widths) {
            n = n.multiply(BigInteger.TWO.pow(w).subtract(BigInteger.ONE));
        }
        return exact(n);
    }

    public SpaceSize times(SpaceSize other) {
        return new SpaceSize(count.multiply(other.count), continuous || other.continuous);
    }

    /** {@code 100}, {@code 1.2e+31}, or {@code continuous}. */
    @Override
    public String toString() {
        return continuous ? "continuous" : countText();
    }

    /** The count alone ({@code 100}, {@code 1.2e+31}): for a continuous space, its discrete combinations. */
    public String countText() {
        String digits = count.toString();
        if (digits.length() <= 15) {
            return String.format(java.util.Locale.ROOT, "%,d", count.longValue());
        }
        return digits.charAt(0) + "." + digits.substring(1, 3) + "e+" + (digits.length() - 1);
    }

    private static SpaceSize exact(BigInteger n) {
        return new SpaceSize(n, false);
    }

    static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }
}
