package io.finegrained.space;

import java.util.List;
import java.util.Map;

/**
 * One declared parameter of a module type: its name, kind, default, bounds and a doc string, so
 * that every module can describe itself ({@code explain --modules}, docs/search-space.md) the
 * way Spark ML's {@code explainParams} does.
 *
 * @param name the key written in YAML
 * @param kind the kind of value
 * @param defaultValue the default in canonical form, or null when the parameter is required or
 *     (if {@code optional}) inferred when absent
 * @param optional true when the parameter may be left out
 * @param min the least value of an integer (or of each integer in a list), or null
 * @param max the greatest, or null
 * @param doc what the parameter means
 */
public record ParamDef(String name, ParamKind kind, Object defaultValue, boolean optional, Long min, Long max, String doc) {

    public ParamDef {
        if (defaultValue != null) {
            defaultValue = kind.coerce(defaultValue);
            optional = true;
        }
    }

    /** A required parameter. */
    public static ParamDef required(String name, ParamKind kind, String doc) {
        return new ParamDef(name, kind, null, false, null, null, doc);
    }

    /** An optional parameter with a default. */
    public static ParamDef withDefault(String name, ParamKind kind, Object defaultValue, String doc) {
        return new ParamDef(name, kind, defaultValue, true, null, null, doc);
    }

    /** An optional parameter without a default: inferred (or unused) when absent. */
    public static ParamDef optional(String name, ParamKind kind, String doc) {
        return new ParamDef(name, kind, null, true, null, null, doc);
    }

    /** The same parameter with integer bounds (each end may be null). */
    public ParamDef range(Long low, Long high) {
        return new ParamDef(name, kind, defaultValue, optional, low, high, doc);
    }

    /**
     * The same parameter whose integers must lie in [1, 2^31 - 1] (widths, strides, counts: DJL
     * and PyTorch take them as ints).
     */
    public ParamDef positive() {
        return range(1L, (long) Integer.MAX_VALUE);
    }

    /** The same parameter whose integers must be 0 or 1. */
    public ParamDef bits() {
        return range(0L, 1L);
    }

    /** Checks the bounds of a canonical value; the message names the offending number. */
    public void checkRange(Object value) {
        if (min == null && max == null) {
            return;
        }
        if (value instanceof Long v) {
            checkOne(v, "");
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object o = list.get(i);
                if (o instanceof Long v) {
                    checkOne(v, "[" + i + "]");
                } else if (o instanceof List<?> row) {
                    for (int j = 0; j < row.size(); j++) {
                        checkOne((Long) row.get(j), "[" + i + "][" + j + "]");
                    }
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                List<?> list = (List<?>) e.getValue();
                for (int i = 0; i < list.size(); i++) {
                    checkOne((Long) list.get(i), "." + e.getKey() + "[" + i + "]");
                }
            }
        }
    }

    private void checkOne(long v, String where) {
        if (min != null && v < min || max != null && v > max) {
            String bounds = max == null ? "at least " + min : min == null ? "at most " + max
                    : min.equals(0L) && max.equals(1L) ? "0 or 1" : "in [" + min + ", " + max + "]";
            throw new SpecException(name + where, name + where + " must be " + bounds + ", found " + v);
        }
    }

    /** One line for listings: {@code name (kind, default: x): doc}. */
    public String explain() {
        String shown = defaultValue instanceof ModuleSpec m ? "{type: " + m.type() + "}" : SpecYaml.flow(defaultValue);
        String dflt = defaultValue != null ? "default: " + shown : optional ? "optional" : "required";
        String bounds = min == null && max == null ? "" : max == null ? ", >= " + min
                : min != null && min == 0 && max == 1 ? ", 0/1" : max == Integer.MAX_VALUE && min != null ? ", >= " + min
                : ", in [" + min + ", " + max + "]";
        return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + bounds + ", " + dflt + "): " + doc;
    }

    static List<String> names(List<ParamDef> defs) {
        return defs.stream().map(ParamDef::name).toList();
    }
}
