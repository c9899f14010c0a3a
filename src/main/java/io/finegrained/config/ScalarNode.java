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
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw ConfigException.at(this, "the number " + v + " is too large (at most " + Integer.MAX_VALUE + ")");
        }
        return (int) v;
    }

    /** A whole number that fits a {@code long}, or a located error. */
    public long asLong() {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger b) {
            throw ConfigException.at(this, "the number " + b + " is too large (at most " + Long.MAX_VALUE + ")");
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 9.0e15) {
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
            throw ConfigException.at(this, "the number " + b + " is too large");
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
