package io.finegrained.search;

import io.finegrained.space.Domain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The genes of each domain type: real-coded SBX and polynomial mutation for FLOAT (in log space
 * for FLOAT_EXP) and INT, uniform crossover and resampling for categories, bit flips or
 * count-keeping moves for binary codes, and the list genes of QuantEA (a bit width per layer)
 * and PruneEA (a keep-mask per channel group, never empty).
 */
public final class Genes {
    private static final double EPS = 1e-14;

    private Genes() {
    }

    /**
     * The gene of an open parameter.
     *
     * @param keepOnes keep the number of ones of a binary code written without {@code ones}
     *     (the seed's shorthand) at the count of its default, as BackboneNas does
     */
    public static Gene of(String key, Domain domain, boolean keepOnes) {
        if (domain instanceof Domain.FloatRange f) {
            return new Real(key, f.low(), f.high(), f.log(), f);
        }
        if (domain instanceof Domain.IntRange i) {
            return new Int(key, i.low(), i.high(), i);
        }
        if (domain instanceof Domain.Category c) {
            return new Choice(key, c.values(), domain);
        }
        if (domain instanceof Domain.Bool) {
            return new Choice(key, List.of(false, true), domain);
        }
        Domain.BinaryCode code = (Domain.BinaryCode) domain;
        Integer ones = code.ones();
        if (ones == null && keepOnes && code.defaultCode() != null) {
            ones = code.defaultCode().stream().mapToInt(Integer::intValue).sum();
        }
        return ones == null ? new Bits(key, code.length(), code) : new FixedOnes(key, code.length(), ones, code);
    }

    // ---------------------------------------------------------------- reals (SBX + polynomial mutation)

    /** SBX on two values in [0, 1] (Deb and Agrawal 1995, bounded form of Deb's NSGA-II code). */
    static double[] sbx(double p1, double p2, Rng rng, double eta) {
        if (Math.abs(p1 - p2) <= EPS) {
            return new double[] {p1, p2};
        }
        double y1 = Math.min(p1, p2);
        double y2 = Math.max(p1, p2);
        double u = rng.nextDouble();
        double c1 = 0.5 * ((y1 + y2) - spread(1 + 2 * y1 / (y2 - y1), u, eta) * (y2 - y1));
        double c2 = 0.5 * ((y1 + y2) + spread(1 + 2 * (1 - y2) / (y2 - y1), u, eta) * (y2 - y1));
        c1 = clamp(c1);
        c2 = clamp(c2);
        return rng.nextBoolean() ? new double[] {c2, c1} : new double[] {c1, c2};
    }

    private static double spread(double beta, double u, double eta) {
        double alpha = 2 - Math.pow(beta, -(eta + 1));
        return u <= 1 / alpha ? Math.pow(u * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
    }

    /** Polynomial mutation of a value in [0, 1] (Deb's bounded form). */
    static double polynomial(double y, Rng rng, double eta) {
        double u = rng.nextDouble();
        double power = 1 / (eta + 1);
        double dq;
        if (u < 0.5) {
            double xy = 1 - y;
            double val = 2 * u + (1 - 2 * u) * Math.pow(xy, eta + 1);
            dq = Math.pow(val, power) - 1;
        } else {
            double xy = y;
            double val = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(xy, eta + 1);
            dq = 1 - Math.pow(val, power);
        }
        return clamp(y + dq);
    }

    static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** A real in [low, high], evolved in [0, 1] (log-scaled for FLOAT_EXP). */
    record Real(String key, double low, double high, boolean log, Domain domain) implements Gene {
        double toUnit(double v) {
            if (high == low) {
                return 0;
            }
            return log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (high - low);
        }

        double fromUnit(double u) {
            if (u <= 0 || u >= 1) {
                return u <= 0 ? low : high;
            }
            double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
            return Math.min(high, Math.max(low, v));
        }

        @Override
        public int variables() {
            return 1;
        }

        @Override
        public Object design(Rng rng, double design) {
            return fromUnit(design);
        }

        @Override
        public Object random(Rng rng) {
            return fromUnit(rng.nextDouble());
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            // Every real recombines when the pair does (Deb's code leaves each variable alone with
            // probability 1/2): with a budget of a few generations, moving the whole genome per child
            // converges faster, and measured no worse on any ZDT problem (docs/search-algorithms.md).
            double[] c = sbx(toUnit((Double) a), toUnit((Double) b), rng, variation.etaCrossover());
            return new Object[] {fromUnit(c[0]), fromUnit(c[1])};
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            if (rng.nextDouble() >= variation.mutationRate()) {
                return value;
            }
            return fromUnit(polynomial(toUnit((Double) value), rng, variation.etaMutation()));
        }

        @Override
        public Object canonical(Object value) {
            return domain.canonical(value);
        }

        @Override
        public String describe() {
            return domain.typeName() + " [" + low + ", " + high + "]";
        }
    }

    /**
     * An integer in [low, high], evolved as a real: value v owns the slice [v, v + 1) of the
     * stretched interval, so every integer has the same share and SBX / polynomial steps scale
     * with the range.
     */
    record Int(String key, long low, long high, Domain domain) implements Gene {
        private double count() {
            return (double) high - low + 1;
        }

        double toUnit(long v) {
            return (v - low + 0.5) / count();
        }

        long fromUnit(double u) {
            long v = low + (long) Math.floor(u * count());
            return Math.min(high, Math.max(low, v));
        }

        @Override
        public int variables() {
            return 1;
        }

        @Override
        public Object design(Rng rng, double design) {
            return fromUnit(design);
        }

        @Override
        public Object random(Rng rng) {
            return low + rng.nextLong(high - low + 1);
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            double[] c = sbx(toUnit((Long) a), toUnit((Long) b), rng, variation.etaCrossover());
            return new Object[] {fromUnit(c[0]), fromUnit(c[1])};
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            if (rng.nextDouble() >= variation.mutationRate()) {
                return value;
            }
            return fromUnit(polynomial(toUnit((Long) value), rng, variation.etaMutation()));
        }

        @Override
        public Object canonical(Object value) {
            return domain.canonical(value);
        }

        @Override
        public String describe() {
            return "INT [" + low + ", " + high + "]";
        }
    }

    // ---------------------------------------------------------------- categories and booleans

    /** One of a few unordered values: uniform crossover, mutation to another value. */
    record Choice(String key, List<Object> values, Domain domain) implements Gene {
        @Override
        public int variables() {
            return 1;
        }

        @Override
        public Object design(Rng rng, double design) {
            return values.get(Math.min(values.size() - 1, (int) (design * values.size())));
        }

        @Override
        public Object random(Rng rng) {
            return values.get(rng.nextInt(values.size()));
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            return rng.nextBoolean() ? new Object[] {b, a} : new Object[] {a, b};
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            if (values.size() < 2 || rng.nextDouble() >= variation.mutationRate()) {
                return value;
            }
            int current = values.indexOf(value);
            int other = rng.nextInt(values.size() - 1);
            return values.get(other >= current ? other + 1 : other);
        }

        @Override
        public Object canonical(Object value) {
            return domain.canonical(value);
        }

        @Override
        public String describe() {
            return domain.typeName() + " " + values;
        }
    }

    // ---------------------------------------------------------------- binary codes

    static List<Integer> bitsOf(Object value) {
        List<?> list = (List<?>) value;
        List<Integer> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add(((Number) o).intValue());
        }
        return out;
    }

    /** A free binary code: uniform crossover, independent bit flips. */
    record Bits(String key, int length, Domain domain) implements Gene {
        @Override
        public int variables() {
            return length;
        }

        @Override
        public Object design(Rng rng, double design) {
            // The stratum is the density of ones, so the first population runs from sparse to dense
            // codes instead of clustering at half ones.
            List<Integer> bits = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                bits.add(rng.nextDouble() < design ? 1 : 0);
            }
            return List.copyOf(bits);
        }

        @Override
        public Object random(Rng rng) {
            List<Integer> bits = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                bits.add(rng.nextBoolean() ? 1 : 0);
            }
            return List.copyOf(bits);
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            List<Integer> x = bitsOf(a);
            List<Integer> y = bitsOf(b);
            uniform(x, y, rng);
            return new Object[] {List.copyOf(x), List.copyOf(y)};
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            List<Integer> bits = bitsOf(value);
            for (int i = 0; i < length; i++) {
                if (rng.nextDouble() < variation.mutationRate()) {
                    bits.set(i, 1 - bits.get(i));
                }
            }
            return List.copyOf(bits);
        }

        @Override
        public Object canonical(Object value) {
            return domain.canonical(value);
        }

        @Override
        public String describe() {
            return "BINARY_CODE of " + length;
        }
    }

    /** Swaps each position of two lists with probability 1/2 (uniform crossover), in place. */
    static <T> void uniform(List<T> x, List<T> y, Rng rng) {
        for (int i = 0; i < x.size(); i++) {
            if (rng.nextBoolean()) {
                T t = x.get(i);
                x.set(i, y.get(i));
                y.set(i, t);
            }
        }
    }

    /**
     * A binary code with a fixed number of ones. Mutation moves a 1 to a position holding a 0
     * (Vega's BackboneNas mutation: where to double channels or downsample changes, how often does
     * not). Crossover mixes the positions where the parents differ and repairs the count there.
     */
    record FixedOnes(String key, int length, int ones, Domain domain) implements Gene {
        @Override
        public int variables() {
            return length;
        }

        @Override
        public Object design(Rng rng, double design) {
            return random(rng);
        }

        @Override
        public Object random(Rng rng) {
            int[] order = rng.permutation(length);
            Integer[] bits = new Integer[length];
            for (int i = 0; i < length; i++) {
                bits[order[i]] = i < ones ? 1 : 0;
            }
            return List.of(bits);
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            List<Integer> x = bitsOf(a);
            List<Integer> y = bitsOf(b);
            return new Object[] {child(x, y, rng), child(y, x, rng)};
        }

        private Object child(List<Integer> first, List<Integer> second, Rng rng) {
            // Both parents hold the same number of ones, so among the positions where they differ
            // half are 1 in each: the child takes a random half of those positions as ones.
            List<Integer> differ = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                if (!first.get(i).equals(second.get(i))) {
                    differ.add(i);
                }
            }
            List<Integer> bits = new ArrayList<>(first);
            int[] order = rng.permutation(differ.size());
            for (int k = 0; k < differ.size(); k++) {
                bits.set(differ.get(order[k]), k < differ.size() / 2 ? 1 : 0);
            }
            return List.copyOf(bits);
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            List<Integer> bits = bitsOf(value);
            if (ones == 0 || ones == length) {
                return value;
            }
            for (int i = 0; i < length; i++) {
                if (bits.get(i) == 1 && rng.nextDouble() < variation.mutationRate()) {
                    List<Integer> zeros = new ArrayList<>();
                    for (int j = 0; j < length; j++) {
                        if (bits.get(j) == 0) {
                            zeros.add(j);
                        }
                    }
                    bits.set(i, 0);
                    bits.set(zeros.get(rng.nextInt(zeros.size())), 1);
                }
            }
            return List.copyOf(bits);
        }

        @Override
        public Object canonical(Object value) {
            List<Integer> bits = bitsOf(domain.canonical(value));
            int count = bits.stream().mapToInt(Integer::intValue).sum();
            if (count != ones) {
                throw new IllegalArgumentException("expected " + ones + " ones, got " + value);
            }
            return List.copyOf(bits);
        }

        @Override
        public String describe() {
            return "BINARY_CODE of " + length + " with " + ones + " ones";
        }
    }

    // ---------------------------------------------------------------- QuantEA and PruneEA lists

    /**
     * A list of {@code length} entries, each one of {@code choices} (ascending): QuantEA's bit
     * width per quantizable layer. Uniform crossover per layer; mutation to another width.
     */
    record ChoiceList(String key, int length, List<Integer> choices) implements Gene {
        public ChoiceList {
            choices = List.copyOf(choices);
        }

        @Override
        public int variables() {
            return length;
        }

        @Override
        public Object design(Rng rng, double design) {
            // The stratum tilts every layer towards wide (design near 1) or narrow widths, so the
            // first population spans the bit-ops axis: layer index ~ Binomial(k - 1, design).
            List<Integer> out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                int index = 0;
                for (int t = 1; t < choices.size(); t++) {
                    index += rng.nextDouble() < design ? 1 : 0;
                }
                out.add(choices.get(index));
            }
            return List.copyOf(out);
        }

        @Override
        public Object random(Rng rng) {
            List<Integer> out = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                out.add(choices.get(rng.nextInt(choices.size())));
            }
            return List.copyOf(out);
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            List<Integer> x = bitsOf(a);
            List<Integer> y = bitsOf(b);
            uniform(x, y, rng);
            return new Object[] {List.copyOf(x), List.copyOf(y)};
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            List<Integer> out = bitsOf(value);
            if (choices.size() < 2) {
                return value;
            }
            for (int i = 0; i < length; i++) {
                if (rng.nextDouble() < variation.mutationRate()) {
                    int current = choices.indexOf(out.get(i));
                    int other = rng.nextInt(choices.size() - 1);
                    out.set(i, choices.get(other >= current ? other + 1 : other));
                }
            }
            return List.copyOf(out);
        }

        @Override
        public Object canonical(Object value) {
            if (!(value instanceof List<?> list) || list.size() != length) {
                throw new IllegalArgumentException("expected a list of " + length + " bit widths, got " + value);
            }
            List<Integer> out = new ArrayList<>(length);
            for (Object o : list) {
                if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || !choices.contains(n.intValue())) {
                    throw new IllegalArgumentException("expected bit widths from " + choices + ", got " + value);
                }
                out.add(n.intValue());
            }
            return List.copyOf(out);
        }

        @Override
        public String describe() {
            return "a list of " + length + " bit widths from " + choices;
        }
    }

    /**
     * One 0/1 keep-mask per channel group ({@code widths}), each keeping at least one channel:
     * PruneEA's genes. Uniform crossover and bit flips inside each mask; a mask left empty gets
     * one random channel back.
     */
    record MaskList(String key, List<Integer> widths) implements Gene {
        public MaskList {
            widths = List.copyOf(widths);
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException("a channel group needs a width of at least 1, got " + widths);
                }
            }
        }

        @Override
        public int variables() {
            return widths.stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public Object design(Rng rng, double design) {
            // The stratum is the keep ratio, so the first population spans small to full networks.
            return masks(rng, design);
        }

        @Override
        public Object random(Rng rng) {
            return masks(rng, 0.5);
        }

        private Object masks(Rng rng, double keep) {
            List<List<Integer>> out = new ArrayList<>(widths.size());
            for (int w : widths) {
                List<Integer> mask = new ArrayList<>(w);
                for (int i = 0; i < w; i++) {
                    mask.add(rng.nextDouble() < keep ? 1 : 0);
                }
                out.add(repair(mask, rng));
            }
            return Collections.unmodifiableList(out);
        }

        private static List<Integer> repair(List<Integer> mask, Rng rng) {
            if (!mask.contains(1)) {
                mask.set(rng.nextInt(mask.size()), 1);
            }
            return List.copyOf(mask);
        }

        private static List<List<Integer>> masksOf(Object value) {
            List<List<Integer>> out = new ArrayList<>();
            for (Object m : (List<?>) value) {
                out.add(bitsOf(m));
            }
            return out;
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            List<List<Integer>> x = masksOf(a);
            List<List<Integer>> y = masksOf(b);
            List<List<Integer>> cx = new ArrayList<>();
            List<List<Integer>> cy = new ArrayList<>();
            for (int g = 0; g < widths.size(); g++) {
                List<Integer> mx = new ArrayList<>(x.get(g));
                List<Integer> my = new ArrayList<>(y.get(g));
                uniform(mx, my, rng);
                cx.add(repair(mx, rng));
                cy.add(repair(my, rng));
            }
            return new Object[] {Collections.unmodifiableList(cx), Collections.unmodifiableList(cy)};
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            List<List<Integer>> out = new ArrayList<>();
            for (List<Integer> mask : masksOf(value)) {
                for (int i = 0; i < mask.size(); i++) {
                    if (rng.nextDouble() < variation.mutationRate()) {
                        mask.set(i, 1 - mask.get(i));
                    }
                }
                out.add(repair(mask, rng));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public Object canonical(Object value) {
            if (!(value instanceof List<?> list) || list.size() != widths.size()) {
                throw new IllegalArgumentException("expected " + widths.size() + " channel masks of widths " + widths + ", got " + value);
            }
            List<List<Integer>> out = new ArrayList<>();
            for (int g = 0; g < widths.size(); g++) {
                if (!(list.get(g) instanceof List<?> mask) || mask.size() != widths.get(g)) {
                    throw new IllegalArgumentException("mask " + g + " must hold " + widths.get(g) + " zeros and ones, got " + list.get(g));
                }
                List<Integer> bits = new ArrayList<>();
                for (Object o : mask) {
                    if (!(o instanceof Number n) || n.doubleValue() != 0 && n.doubleValue() != 1) {
                        throw new IllegalArgumentException("mask " + g + " holds only 0 and 1, got " + mask);
                    }
                    bits.add(n.intValue());
                }
                if (!bits.contains(1)) {
                    throw new IllegalArgumentException("mask " + g + " keeps no channel");
                }
                out.add(List.copyOf(bits));
            }
            return Collections.unmodifiableList(out);
        }

        @Override
        public String describe() {
            return "channel keep-masks of widths " + widths;
        }
    }
}
