package io.finegrained.config;

import java.math.BigInteger;

/**
 * A scalar: {@code Long}, {@code BigInteger} (too large for a long; rejected where a number is
 * read), {@code Double}, {@code Boolean}, {@code String}, or null.
 */
public record ScalarNode(Object value, Location location, String path) implements ConfigNode {

    public boolean isNull() {
        return value == null;
    }

    public boolean isString() {
        return value instanceof String;
    }

    public boolean isNumber() {
        return value instanceof Long || value instanceof Double || value instanceof BigInteger;
    }

    /** A whole number that fits an {@code int}, or a located error. */
    public int asInt() {
        long v = asLong();
        if (v > Integer.MAX_VALUE) {
            throw ConfigException.at(this, "the number " + v + " is too large (at most " + Integer.MAX_VALUE + ")");
        }
        if (v < Integer.MIN_VALUE) {
            throw ConfigException.at(this, "the number " + v + " is too small (at least " + Integer.MIN_VALUE + ")");
        }
        return (int) v;
    }

    /** A whole number that fits a {@code long}, or a located error. */
    public long asLong() {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger b) {
            throw b.signum() > 0 ? ConfigException.at(this, "the number " + b + " is too large (at most " + Long.MAX_VALUE + ")")
                    : ConfigException.at(this, "the number " + b + " is too small (at least " + Long.MIN_VALUE + ")");
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            // Whole doubles (1e6, 2.0) are whole numbers; beyond 2^63 they do not fit a long.
            if (d >= 0x1p63) {
                throw ConfigException.at(this, "the number " + d + " is too large (at most " + Long.MAX_VALUE + ")");
            }
            if (d < -0x1p63) {
                throw ConfigException.at(this, "the number " + d + " is too small (at least " + Long.MIN_VALUE + ")");
            }
            return d.longValue();
        }
        throw ConfigException.at(this, "expected a whole number, found " + describe());
    }

    /** A finite real number, or a located error. */
    public double asDouble() {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw ConfigException.at(this, "expected a finite number, found " + d);
            }
            return d;
        }
        if (value instanceof BigInteger b) {
            double d = b.doubleValue(); // a whole number beyond a long is still a fine real number
            if (Double.isInfinite(d)) {
                throw ConfigException.at(this, "the number " + b + " is too " + (d > 0 ? "large" : "small") + " for a real number ("
                        + (d > 0 ? "at most " : "at least -") + Double.MAX_VALUE + ")");
            }
            return d;
        }
        throw ConfigException.at(this, "expected a number, found " + describe());
    }

    public boolean asBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        throw ConfigException.at(this, "expected true or false, found " + describe());
    }

    public String asString() {
        if (value instanceof String s) {
            return s;
        }
        throw ConfigException.at(this, "expected a text value, found " + describe());
    }

    /** Text of any scalar (numbers as written), for names and free-form values. */
    public String text() {
        return String.valueOf(value);
    }

    @Override
    public String describe() {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof String s) {
            return "the text '" + s + "'";
        }
        if (value instanceof Boolean) {
            return "the boolean " + value;
        }
        return "the number " + value;
    }

    @Override
    public Object toPlain() {
        return value;
    }
}
