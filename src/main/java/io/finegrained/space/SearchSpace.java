package io.finegrained.space;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.Suggestions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search space: the module tree the file describes and its open hyper-parameters. Immutable
 * and thread-safe once parsed.
 *
 * <p>Values are keyed by dotted path: {@code layer.doublechannel} is parameter
 * {@code doublechannel} of top-level module {@code layer}; paths go through nested modules
 * ({@code resnet.block.stride}), into {@code items} lists ({@code resnet.items.stride}) and may
 * end in {@code type} to swap a nested module's type. {@code trainer.<name>} keys are training
 * parameters, not part of the network. A space without {@code modules} is a plain
 * hyper-parameter space whose keys are free names.
 */
public final class SearchSpace {
    public static final String TRAINER_PREFIX = "trainer.";
    private static final List<String> RESERVED = List.of("type", "hyper_parameters", "modules", "define");

    private final ModuleRegistry registry;
    private final ParameterSpace parameters;
    private final Map<String, Origin> parameterOrigins;
    private final ModuleSpec written;
    private final ModuleSpec defaults;

    private SearchSpace(ModuleRegistry registry, ParameterSpace parameters, Map<String, Origin> parameterOrigins, ModuleSpec written, ModuleSpec defaults) {
        this.registry = registry;
        this.parameters = parameters;
        this.parameterOrigins = parameterOrigins;
        this.written = written;
        this.defaults = defaults;
    }

    /**
     * Reads and checks a {@code search_space} section: every module, every value, the widths of
     * the default network, and every {@code hyper_parameters} key. Any problem is a
     * {@link ConfigException} naming file, line, column and key path.
     *
     * @param section the {@code search_space} map
     * @param trainerKeys the names allowed after {@code trainer.} in {@code hyper_parameters}
     */
    public static SearchSpace parse(MapNode section, Set<String> trainerKeys) {
        return parse(section, trainerKeys, ModuleRegistry.standard());
    }

    /** {@link #parse(MapNode, Set)} with another registry (tests, user registries). */
    public static SearchSpace parse(MapNode section, Set<String> trainerKeys, ModuleRegistry registry) {
        if (section.has("type")) {
            String type = section.requireString("type");
            if (!type.equals("FineGrainedSpace")) {
                throw ConfigException.at(section.require("type"), "the search_space type must be FineGrainedSpace, found '" + type + "'");
            }
        }
        boolean hasModules = section.has("modules");
        if (section.has("define")) {
            if (!hasModules) {
                throw new ConfigException(section.keyLocation("define"), section.childPath("define"), "'define' needs 'modules' that use the definitions");
            }
            registry = registry.with(YamlComposite.readAll(section.requireMap("define"), registry));
        }
        SpecReader reader = new SpecReader(registry);
        ModuleSpec written = null;
        if (hasModules) {
            List<String> ids = reader.readIds(section);
            for (String key : section.keys()) {
                if (!RESERVED.contains(key) && !ids.contains(key)) {
                    List<String> allowed = new ArrayList<>(RESERVED);
                    allowed.addAll(ids);
                    List<String> close = Suggestions.closest(key, allowed);
                    throw new ConfigException(section.keyLocation(key), section.childPath(key), "'" + key + "' is not listed in modules"
                            + (close.isEmpty() ? " (modules: " + String.join(", ", ids) + ")" : "; did you mean " + Suggestions.quoteAll(close) + "?"));
                }
            }
            ModuleSpec.Builder root = ModuleSpec.builder("FineGrainedSpace", Origin.of(section));
            root.set("modules", ids, Origin.of(section.require("modules")));
            if (section.has("define")) {
                root.set("define", ParamKind.MAP.coerce(section.require("define").toPlain()), Origin.of(section.require("define")));
            }
            for (String id : ids) {
                ConfigNode node = section.require(id);
                root.set(id, reader.readModule(Nodes.map(node), true), Origin.of(node));
            }
            written = root.build();
        } else {
            for (String key : section.keys()) {
                if (!key.equals("type") && !key.equals("hyper_parameters")) {
                    throw new ConfigException(section.keyLocation(key), section.childPath(key), "unknown key '" + key
                            + "' in search_space: a space without 'modules' holds only hyper_parameters (list the module ids in 'modules')");
                }
            }
        }
        Map<String, Domain> domains = new LinkedHashMap<>();
        Map<String, Origin> origins = new LinkedHashMap<>();
        MapNode hp = section.optMap("hyper_parameters");
        PathResolver paths = new PathResolver(registry);
        for (String key : hp.keys()) {
            ConfigNode node = hp.require(key);
            Domain domain = Domains.parse(node);
            io.finegrained.config.Location keyLocation = hp.keyLocation(key);
            if (key.startsWith(TRAINER_PREFIX) && hasModules) {
                String name = key.substring(TRAINER_PREFIX.length());
                if (!trainerKeys.contains(name)) {
                    List<String> close = Suggestions.closest(name, trainerKeys);
                    throw new ConfigException(keyLocation, hp.childPath(key), "'" + key + "' names no trainer parameter"
                            + (close.isEmpty() ? " (trainer parameters: " + String.join(", ", new java.util.TreeSet<>(trainerKeys)) + ")"
                            : "; did you mean 'trainer." + String.join("' or 'trainer.", close) + "'?"));
                }
            } else if (hasModules) {
                ParamDef target;
                try {
                    target = paths.lookup(written, key);
                    checkFits(domain, target, registry);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(keyLocation, hp.childPath(key), e.getMessage());
                }
            }
            domains.put(key, domain);
            origins.put(key, new Origin(keyLocation.file(), keyLocation.line(), keyLocation.column(), hp.childPath(key)));
        }
        ParameterSpace parameters = new ParameterSpace(domains);
        final ModuleRegistry spaceRegistry = registry;
        SearchSpace space = new SearchSpace(spaceRegistry, parameters, Collections.unmodifiableMap(origins), written, null);
        if (!hasModules) {
            return space;
        }
        ModuleSpec defaults;
        try {
            defaults = space.resolveLocated(Map.of());
        } catch (SpecException e) {
            throw toConfig(e, section);
        }
        return new SearchSpace(spaceRegistry, parameters, space.parameterOrigins, written, defaults);
    }

    private static ConfigException toConfig(SpecException e, MapNode section) {
        Origin o = e.origin();
        if (o == null) {
            return ConfigException.at(section, e.getMessage());
        }
        return new ConfigException(o.location(), o.keyPath(), e.problem());
    }

    private static void checkFits(Domain domain, ParamDef target, ModuleRegistry registry) {
        String what = "'" + target.name() + "' is " + target.kind().description();
        if (domain instanceof Domain.BinaryCode) {
            if (target.kind() != ParamKind.INT_LIST) {
                throw new IllegalArgumentException(what + "; a binary code does not fit it");
            }
        } else if (domain instanceof Domain.IntRange) {
            if (target.kind() != ParamKind.INT && target.kind() != ParamKind.INT_PAIR) {
                throw new IllegalArgumentException(what + "; an INT domain does not fit it");
            }
        } else if (domain instanceof Domain.FloatRange f) {
            if (target.kind() != ParamKind.FLOAT) {
                throw new IllegalArgumentException(what + "; a " + f.typeName() + " domain does not fit it");
            }
        } else if (domain instanceof Domain.Bool) {
            if (target.kind() != ParamKind.BOOL) {
                throw new IllegalArgumentException(what + "; a BOOL domain does not fit it");
            }
        } else if (domain instanceof Domain.Category c) {
            for (Object v : c.values()) {
                try {
                    Object coerced = target.kind().coerce(v);
                    target.checkRange(coerced);
                    if (target.kind() == ParamKind.MODULE && registry.find(((ModuleSpec) coerced).type()).isEmpty()) {
                        throw new IllegalArgumentException(registry.unknownType(((ModuleSpec) coerced).type()));
                    }
                    if (target.name().equals("type") && registry.find((String) coerced).isEmpty()) {
                        throw new IllegalArgumentException(registry.unknownType((String) coerced));
                    }
                } catch (IllegalArgumentException | SpecException e) {
                    throw new IllegalArgumentException(what + "; the category value " + v + " does not fit it: " + e.getMessage());
                }
            }
        }
    }

    /** The open hyper-parameters in file order, {@code trainer.*} included. */
    public ParameterSpace parameters() {
        return parameters;
    }

    /** False for a plain hyper-parameter space (only hyper_parameters, no modules). */
    public boolean hasModules() {
        return written != null;
    }

    /** The registry the space was read with. */
    public ModuleRegistry registry() {
        return registry;
    }

    /** The network of the default values (the domains' defaults over the values written in the modules). */
    public ModuleSpec defaults() {
        requireModules();
        return defaults;
    }

    /**
     * The network the values give: the defaults with each given path set. Values may name any
     * valid path, open or not ({@code process.nbit_w_list}); {@code trainer.*} keys are ignored.
     * An unknown path, a value of the wrong kind, or values that give no valid network (widths
     * that disagree, say) are an {@link InvalidCandidateException} saying which and why.
     */
    public ModuleSpec resolve(Map<String, Object> values) {
        requireModules();
        try {
            return resolveLocated(values);
        } catch (SpecException e) {
            throw new InvalidCandidateException(e.getMessage());
        }
    }

    private ModuleSpec resolveLocated(Map<String, Object> values) {
        PathResolver paths = new PathResolver(registry);
        ModuleSpec root = written;
        for (Map.Entry<String, Domain> e : parameters.domains().entrySet()) {
            String key = e.getKey();
            Object dflt = e.getValue().defaultValue();
            if (!key.startsWith(TRAINER_PREFIX) && dflt != null && !values.containsKey(key)) {
                root = set(paths, root, key, dflt, parameterOrigins.get(key));
            }
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!e.getKey().startsWith(TRAINER_PREFIX)) {
                root = set(paths, root, e.getKey(), e.getValue(), null);
            }
        }
        ModuleSpec normalized = registry.normalize(root);
        new NetworkExpander(registry).expand(normalized, unknownInput());
        return normalized;
    }

    private static ModuleSpec set(PathResolver paths, ModuleSpec root, String key, Object value, Origin origin) {
        try {
            return paths.set(root, key, value, origin);
        } catch (IllegalArgumentException e) {
            throw new SpecException(null, e.getMessage()).locate(
                    origin != null ? origin : new Origin("(values)", 0, 0, key));
        }
    }

    /** The {@code trainer.*} entries of the values, prefix stripped, in order. */
    public Map<String, Object> trainerValues(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(TRAINER_PREFIX)) {
                out.put(k.substring(TRAINER_PREFIX.length()), v);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Expands a resolved network for an input shape (C, H, W); {@link InvalidCandidateException} when it does not fit. */
    public Layer expand(ModuleSpec spec, long[] inputShape) {
        try {
            return new NetworkExpander(registry).expand(spec, TensorShape.image(inputShape[0], inputShape[1], inputShape[2], "the input shape"));
        } catch (SpecException e) {
            throw new InvalidCandidateException(e.getMessage());
        }
    }

    /** The shape used to check a space before its input shape is chosen: every dimension unknown. */
    public static TensorShape unknownInput() {
        return TensorShape.image(TensorShape.UNKNOWN, TensorShape.UNKNOWN, TensorShape.UNKNOWN, "the input shape");
    }

    private void requireModules() {
        if (written == null) {
            throw new IllegalStateException("this search space has no modules (a plain hyper-parameter space)");
        }
    }
}
