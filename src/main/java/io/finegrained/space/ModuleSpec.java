package io.finegrained.space;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The description of one module: its registered type name and its parameter values in canonical
 * form (see {@link ParamKind}), nested modules included. Immutable and serializable: it is what
 * a search algorithm's values resolve to, and what travels to an executor to be built.
 *
 * <p>The root of a search space is a {@code FineGrainedSpace} whose {@code modules} parameter
 * lists the ids of its top-level modules, each id also being a parameter holding that module.
 *
 * <p>Each value may carry the {@link Origin} it was written at; origins are for error messages
 * only and take no part in {@link #equals}, {@link #hashCode} or {@link #toYaml}.
 */
public final class ModuleSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final Map<String, Object> params;
    private final Map<String, Origin> origins;
    private final Origin origin;

    private ModuleSpec(String type, Map<String, Object> params, Map<String, Origin> origins, Origin origin) {
        this.type = Objects.requireNonNull(type, "type");
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
        this.origin = origin;
    }

    public static Builder builder(String type) {
        return new Builder(type, null);
    }

    /** A builder for a module written at {@code origin} (null when made by code). */
    public static Builder builder(String type, Origin origin) {
        return new Builder(type, origin);
    }

    public String type() {
        return type;
    }

    /** The parameter values in order; absent optional parameters are not listed. */
    public Map<String, Object> params() {
        return params;
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    public Object get(String name) {
        return params.get(name);
    }

    /** Where the module was written (its section, or the nested map), or null. */
    public Origin origin() {
        return origin;
    }

    /**
     * Where parameter {@code name} was written, or null when it came from a default or from code
     * without one. For {@code ITEMS} values, {@code items.stride} names one list.
     */
    public Origin origin(String name) {
        return origins.get(name);
    }

    public Map<String, Origin> origins() {
        return origins;
    }

    /** An integer parameter; {@link SpecException} when it is absent. */
    public long getLong(String name) {
        return (Long) require(name);
    }

    /** An integer parameter that must fit an int (widths, counts). */
    public int getInt(String name) {
        long v = getLong(name);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new SpecException(name, name + " " + v + (v > 0 ? " is too large (at most " + Integer.MAX_VALUE + ")"
                    : " is too small (at least " + Integer.MIN_VALUE + ")"));
        }
        return (int) v;
    }

    public boolean getBool(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return (String) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<Long> getLongList(String name) {
        return (List<Long>) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<List<Long>> getMatrix(String name) {
        return (List<List<Long>>) require(name);
    }

    /** A list of names ({@code modules}), or an empty list when absent. */
    @SuppressWarnings("unchecked")
    public List<String> getNames(String name) {
        Object v = params.get(name);
        return v instanceof List<?> ? (List<String>) v : List.of();
    }

    public ModuleSpec getModule(String name) {
        return (ModuleSpec) require(name);
    }

    @SuppressWarnings("unchecked")
    public Map<String, List<Long>> getItems(String name) {
        return (Map<String, List<Long>>) require(name);
    }

    private Object require(String name) {
        Object v = params.get(name);
        if (v == null) {
            throw new SpecException(name, "missing required parameter '" + name + "' of " + type);
        }
        return v;
    }

    /** A copy with one parameter set (origin null: set by code or by a candidate's values). */
    public ModuleSpec with(String name, Object value) {
        return toBuilder().set(name, value, null).build();
    }

    /** A copy without the parameter. */
    public ModuleSpec without(String name) {
        Builder b = toBuilder();
        b.params.remove(name);
        b.origins.remove(name);
        return b.build();
    }

    /** A copy of another type with the same values. */
    public ModuleSpec withType(String newType) {
        return new ModuleSpec(newType, params, origins, origin);
    }

    public Builder toBuilder() {
        Builder b = new Builder(type, origin);
        b.params.putAll(params);
        b.origins.putAll(origins);
        return b;
    }

    /**
     * The description as YAML, in canonical form: {@code type} first, then the parameters in
     * order, lists in flow style. The root ({@code FineGrainedSpace}) is written under a
     * {@code search_space:} key, so the text is a job file that loads again (see
     * {@link SearchSpace#parse}).
     */
    public String toYaml() {
        return SpecYaml.write(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleSpec m && type.equals(m.type) && params.equals(m.params);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + params.hashCode();
    }

    @Override
    public String toString() {
        return type + params;
    }

    /** Builds a {@link ModuleSpec}; values are stored as given (canonical form expected). */
    public static final class Builder {
        private final String type;
        private final Origin origin;
        private final Map<String, Object> params = new LinkedHashMap<>();
        private final Map<String, Origin> origins = new LinkedHashMap<>();

        private Builder(String type, Origin origin) {
            this.type = type;
            this.origin = origin;
        }

        /** Sets a value; {@code where} is where it was written, or null. Returns this builder. */
        public Builder set(String name, Object value, Origin where) {
            params.put(name, value);
            if (where != null) {
                origins.put(name, where);
            } else {
                origins.remove(name);
            }
            return this;
        }

        /** Sets a value made by code. */
        public Builder set(String name, Object value) {
            return set(name, value, null);
        }

        /** Copies parameter {@code from} of {@code source}, with its origin, as {@code name}. */
        public Builder copy(String name, ModuleSpec source, String from) {
            if (source.has(from)) {
                set(name, source.get(from), source.origin(from));
                String prefix = from + ".";
                source.origins().forEach((k, o) -> {
                    if (k.startsWith(prefix)) {
                        origins.put(name + "." + k.substring(prefix.length()), o);
                    }
                });
            }
            return this;
        }

        /** Sets a value that came from parameter {@code from} of {@code source} (keeps its origin). */
        public Builder derived(String name, Object value, ModuleSpec source, String from) {
            return set(name, value, source.origin(from));
        }

        /** Records an origin for a key without a value of its own ({@code items.stride}). */
        public Builder origin(String key, Origin where) {
            if (where != null) {
                origins.put(key, where);
            }
            return this;
        }

        public ModuleSpec build() {
            return new ModuleSpec(type, params, origins, origin);
        }
    }
}
