package io.finegrained.space;

import io.finegrained.config.Suggestions;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Module types by name: the containers, every {@link ModuleType} listed in a
 * {@code META-INF/services/io.finegrained.space.ModuleType} file on the classpath, and
 * composites a space defines in YAML. The built-ins ({@code io.finegrained.space.modules},
 * {@code VariantLayer}) arrive through the product's own services file exactly as user modules
 * arrive through theirs, so this package does not import the packages that implement it.
 * Immutable; {@link #with} returns an extended copy.
 */
public final class ModuleRegistry {
    private static volatile ModuleRegistry standard;

    private final Map<String, ModuleType> types;

    private ModuleRegistry(Map<String, ModuleType> types) {
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
    }

    /** The containers plus every type found by {@link ServiceLoader}, built-ins first (loaded once per JVM). */
    public static ModuleRegistry standard() {
        ModuleRegistry r = standard;
        if (r == null) {
            synchronized (ModuleRegistry.class) {
                if (standard == null) {
                    Map<String, ModuleType> map = new LinkedHashMap<>();
                    for (ModuleType t : List.of(ContainerType.FINE_GRAINED_SPACE, ContainerType.SEQUENTIAL, ContainerType.RESIDUAL)) {
                        map.put(t.name(), t);
                    }
                    for (ModuleType t : loaded()) {
                        if (map.containsKey(t.name())) {
                            throw new IllegalStateException("two module types are named '" + t.name() + "': "
                                    + map.get(t.name()).getClass().getName() + " and " + t.getClass().getName());
                        }
                        map.put(t.name(), checkRole(t));
                    }
                    standard = new ModuleRegistry(map);
                }
                r = standard;
            }
        }
        return r;
    }

    /** The type, when it declares every parameter its role reads (a Quant's bit lists, a Prune's mask). */
    private static ModuleType checkRole(ModuleType t) {
        List<String> missing = new ArrayList<>(t.role().parameters());
        missing.removeAll(ParamDef.names(t.parameters()));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("module type '" + t.name() + "' (" + t.getClass().getName() + ") takes the role "
                    + t.role() + " but does not declare " + String.join(", ", missing));
        }
        return t;
    }

    /**
     * The types every services file lists, the product's own first (in its file's order: how
     * {@code explain --modules} lists them), then the others in classpath order. Both the
     * thread's class loader (a notebook's or an executor's, which sees the user's jars) and this
     * class's own are asked, so the built-ins are there whatever the thread's loader sees.
     */
    private static List<ModuleType> loaded() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        if (Thread.currentThread().getContextClassLoader() != null) {
            loaders.add(Thread.currentThread().getContextClassLoader());
        }
        loaders.add(ModuleRegistry.class.getClassLoader());
        CodeSource product = ModuleRegistry.class.getProtectionDomain().getCodeSource();
        Set<String> seen = new HashSet<>();
        List<ModuleType> own = new ArrayList<>();
        List<ModuleType> others = new ArrayList<>();
        for (ClassLoader loader : loaders) {
            for (ModuleType t : ServiceLoader.load(ModuleType.class, loader)) {
                if (seen.add(t.getClass().getName())) {
                    CodeSource source = t.getClass().getProtectionDomain().getCodeSource();
                    boolean ours = product != null && source != null && Objects.equals(product.getLocation(), source.getLocation());
                    (ours ? own : others).add(t);
                }
            }
        }
        own.addAll(others);
        return own;
    }

    /**
     * The registry a resolved description needs: the standard one (YAML composites defined in a
     * space travel inside its description and are added here; see {@code define}).
     */
    public static ModuleRegistry forSpec(ModuleSpec spec) {
        Object define = spec.get("define");
        if (!(define instanceof Map<?, ?> map) || map.isEmpty()) {
            return standard();
        }
        return WITH_DEFINITIONS.computeIfAbsent(map, m -> {
            // The definitions travel as plain values; read them back through the YAML reader so
            // one code path checks them.
            String yaml = SpecYaml.write(ModuleSpec.builder("Definitions").set("define", m).build());
            io.finegrained.config.MapNode node = io.finegrained.config.YamlLoader.parse(yaml, "(definitions)").requireMap("define");
            return standard().with(YamlComposite.readAll(node, standard()));
        });
    }

    private static final Map<Object, ModuleRegistry> WITH_DEFINITIONS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A copy with more types; a name already registered, or a type that takes a role without
     * declaring the role's parameters, is an {@link IllegalArgumentException}.
     */
    public ModuleRegistry with(Collection<? extends ModuleType> more) {
        Map<String, ModuleType> map = new LinkedHashMap<>(types);
        for (ModuleType t : more) {
            if (map.containsKey(t.name())) {
                throw new IllegalArgumentException("a module type named '" + t.name() + "' is already registered");
            }
            try {
                map.put(t.name(), checkRole(t));
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        return new ModuleRegistry(map);
    }

    public Optional<ModuleType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The type, or {@link SpecException} naming the closest registered names. */
    public ModuleType require(String name) {
        ModuleType t = types.get(name);
        if (t == null) {
            throw new SpecException("type", unknownType(name));
        }
        return t;
    }

    /** "unknown module type 'X'; did you mean 'Y'?" */
    public String unknownType(String name) {
        List<String> close = Suggestions.closest(name, types.keySet());
        return "unknown module type '" + name + "'" + (close.isEmpty()
                ? " (registered: " + String.join(", ", types.keySet()) + ")"
                : "; did you mean " + Suggestions.quoteAll(close) + "?");
    }

    public Collection<ModuleType> types() {
        return types.values();
    }

    /**
     * The description with every value checked against its declaration, defaults filled in and
     * parameters in declared order, recursively through nested modules. Required parameters are
     * not enforced here (a {@code Repeat} template gets them from its items); the expander does.
     */
    public ModuleSpec normalize(ModuleSpec spec) {
        ModuleType type = require(spec.type());
        ModuleSpec.Builder b = ModuleSpec.builder(spec.type(), spec.origin());
        List<String> declared = ParamDef.names(type.parameters());
        for (ParamDef def : type.parameters()) {
            Object value = spec.get(def.name());
            if (value == null) {
                if (def.defaultValue() != null) {
                    b.set(def.name(), def.kind() == ParamKind.MODULE ? normalize((ModuleSpec) def.defaultValue()) : def.defaultValue());
                }
                continue;
            }
            Object v;
            try {
                v = def.kind().coerce(value);
            } catch (IllegalArgumentException e) {
                throw new SpecException(def.name(), def.name() + ": " + e.getMessage());
            }
            def.checkRange(v);
            if (v instanceof ModuleSpec nested) {
                v = normalizeNested(def.name(), nested);
            }
            b.set(def.name(), v, spec.origin(def.name()));
            copySubOrigins(spec, def.name(), b);
        }
        if (type instanceof ContainerType c && c.isSequential()) {
            for (String id : spec.getNames("modules")) {
                Object child = spec.get(id);
                if (!(child instanceof ModuleSpec m)) {
                    throw new SpecException("modules", "'modules' lists '" + id + "' but there is no module '" + id + "'");
                }
                b.set(id, normalizeNested(id, m), spec.origin(id));
            }
            for (String key : spec.params().keySet()) {
                if (!declared.contains(key) && !spec.getNames("modules").contains(key)) {
                    throw new SpecException(key, "'" + key + "' is not listed in 'modules'");
                }
            }
        } else {
            for (String key : spec.params().keySet()) {
                if (!declared.contains(key)) {
                    List<String> close = Suggestions.closest(key, declared);
                    throw new SpecException(key, "unknown parameter '" + key + "' of " + spec.type()
                            + (close.isEmpty() ? " (parameters: " + String.join(", ", declared) + ")" : "; did you mean " + Suggestions.quoteAll(close) + "?"));
                }
            }
        }
        return b.build();
    }

    private ModuleSpec normalizeNested(String param, ModuleSpec nested) {
        try {
            return normalize(nested);
        } catch (SpecException e) {
            if (e.isLocated()) {
                throw e;
            }
            Origin where = e.param() != null && nested.origin(e.param()) != null ? nested.origin(e.param()) : nested.origin();
            if (where == null) {
                throw new SpecException(param, param + "." + e.getMessage());
            }
            throw e.locate(where);
        }
    }

    private static void copySubOrigins(ModuleSpec from, String name, ModuleSpec.Builder to) {
        String prefix = name + ".";
        from.origins().forEach((k, o) -> {
            if (k.startsWith(prefix)) {
                to.origin(k, o);
            }
        });
    }
}
