package io.finegrained.space;

import java.util.List;

/**
 * The set of values an open hyper-parameter may take. Values are plain Java objects so that
 * they travel unchanged through JSON, Spark rows and the journal:
 * binary code = {@code List<Integer>} of 0/1; integer = {@code Long}; real = {@code Double};
 * bool = {@code Boolean}; category = one of its values as loaded ({@code Long}, {@code Double},
 * {@code String} or {@code Boolean}).
 */
public sealed interface Domain
        permits Domain.BinaryCode, Domain.Category, Domain.IntRange, Domain.FloatRange, Domain.Bool {

    /** The value the space was written with, or null when the file gives none. */
    Object defaultValue();

    /**
     * The canonical form of a value of this domain (a JSON-read {@code Integer} becomes a
     * {@code Long}, and so on), or {@link IllegalArgumentException} saying why it does not fit.
     */
    Object canonical(Object value);

    /** The type name as written in YAML. */
    String typeName();

    /**
     * A binary code: {@code length} bits, optionally with exactly {@code ones} of them set.
     *
     * @param ones the fixed number of ones, or null when free
     * @param defaultCode the code written in the file, or null
     */
    record BinaryCode(int length, Integer ones, List<Integer> defaultCode) implements Domain {
        public BinaryCode {
            if (length < 1) {
                throw new IllegalArgumentException("a binary code needs a length of at least 1");
            }
            if (ones != null && (ones < 0 || ones > length)) {
                throw new IllegalArgumentException("ones must lie in [0, " + length + "], got " + ones);
            }
            defaultCode = defaultCode == null ? null : List.copyOf(defaultCode);
        }

        @Override
        public Object defaultValue() {
            return defaultCode;
        }

        @Override
        public Object canonical(Object value) {
            if (!(value instanceof List<?> list) || list.size() != length) {
                throw new IllegalArgumentException("expected a list of " + length + " zeros and ones, got " + value);
            }
            int count = 0;
            List<Integer> bits = new java.util.ArrayList<>(length);
            for (Object o : list) {
                if (!(o instanceof Number n) || n.doubleValue() != 0 && n.doubleValue() != 1) {
                    throw new IllegalArgumentException("expected only 0 and 1, got " + value);
                }
                bits.add(n.intValue());
                count += n.intValue();
            }
            if (ones != null && count != ones) {
                throw new IllegalArgumentException("expected exactly " + ones + " ones, got " + value);
            }
            return List.copyOf(bits);
        }

        @Override
        public String typeName() {
            return "BINARY_CODE";
        }
    }

    /** One of a list of values. */
    record Category(List<Object> values, Object defaultValue) implements Domain {
        public Category {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a category needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public Object canonical(Object value) {
            for (Object v : values) {
                if (sameValue(v, value)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("expected one of " + values + ", got " + value);
        }

        private static boolean sameValue(Object a, Object b) {
            if (a instanceof Number x && b instanceof Number y) {
                return x.doubleValue() == y.doubleValue();
            }
            return a.equals(b);
        }

        @Override
        public String typeName() {
            return "CATEGORY";
        }
    }

    /**
     * An integer in [low, high], both ends included. It holds at most {@code Long.MAX_VALUE}
     * values, so that the count {@code high - low + 1} (what a value is drawn from) is a long:
     * [1, Long.MAX_VALUE] works, [0, Long.MAX_VALUE] is refused.
     */
    record IntRange(long low, long high, Long defaultValue) implements Domain {
        public IntRange {
            if (low > high) {
                throw new IllegalArgumentException("the range's low end " + low + " is above its high end " + high);
            }
            long span = high - low; // overflows (goes negative) past Long.MAX_VALUE
            if (span < 0 || span == Long.MAX_VALUE) {
                throw new IllegalArgumentException("the INT range [" + low + ", " + high + "] holds more than " + Long.MAX_VALUE
                        + " values, the most an INT range may hold; narrow it");
            }
        }

        @Override
        public Object canonical(Object value) {
            if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                long v = n.longValue();
                if (v >= low && v <= high) {
                    return v;
                }
            }
            throw new IllegalArgumentException("expected an integer in [" + low + ", " + high + "], got " + value);
        }

        @Override
        public String typeName() {
            return "INT";
        }
    }

    /** A real number in [low, high]; {@code log} samples it log-uniformly (FLOAT_EXP). */
    record FloatRange(double low, double high, boolean log, Double defaultValue) implements Domain {
        public FloatRange {
            if (!(low <= high)) {
                throw new IllegalArgumentException("the range's low end " + low + " is above its high end " + high);
            }
            if (log && low <= 0) {
                throw new IllegalArgumentException("FLOAT_EXP needs a positive range, got low end " + low);
            }
            if (!Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("a " + (log ? "FLOAT_EXP" : "FLOAT") + " range needs finite ends, got [" + low + ", " + high + "]");
            }
            // A value is drawn as low + u * (high - low): a span beyond a double's range would
            // make every draw infinite, one value for the whole search.
            if (!log && !Double.isFinite(high - low)) {
                throw new IllegalArgumentException("the FLOAT range [" + low + ", " + high + "] spans more than a double holds ("
                        + Double.MAX_VALUE + "), so every value drawn from it would be infinite; narrow it");
            }
        }

        @Override
        public Object canonical(Object value) {
            if (value instanceof Number n) {
                double v = n.doubleValue();
                if (v >= low && v <= high) {
                    return v;
                }
            }
            throw new IllegalArgumentException("expected a number in [" + low + ", " + high + "], got " + value);
        }

        @Override
        public String typeName() {
            return log ? "FLOAT_EXP" : "FLOAT";
        }
    }

    /** True or false. */
    record Bool(Boolean defaultValue) implements Domain {
        @Override
        public Object canonical(Object value) {
            if (value instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException("expected true or false, got " + value);
        }

        @Override
        public String typeName() {
            return "BOOL";
        }
    }
}
