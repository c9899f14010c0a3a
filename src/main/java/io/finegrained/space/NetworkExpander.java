package io.finegrained.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Expands a module description into a {@link Layer} tree for a given input shape: composites
 * are expanded, every value is checked, shapes are inferred and operators counted. Pure
 * arithmetic, no engine. Errors are {@link SpecException}s located at the key the user wrote
 * (or, for a value no file holds, at the nearest module that was written, with the network
 * path in the message).
 */
public final class NetworkExpander {
    private final ModuleRegistry registry;
    /**
     * The descriptions {@link ModuleRegistry#normalize} has already returned, nested ones
     * included: normalizing is idempotent, and without this every module would be normalized
     * again at each level of the tree above it (the counter's main cost in a search).
     */
    private final Set<ModuleSpec> normalized = Collections.newSetFromMap(new IdentityHashMap<>());

    /** An expander is not thread-safe: use one per thread (they are cheap). */
    public NetworkExpander(ModuleRegistry registry) {
        this.registry = registry;
    }

    /** The expanded network of {@code root} (a FineGrainedSpace) for one sample of {@code input}. */
    public Layer expand(ModuleSpec root, TensorShape input) {
        Origin fallback = root.origin() != null ? root.origin() : new Origin("(built in code)", 0, 0, "search_space");
        return expand("", "", root, input, ModuleType.Role.PLAIN, fallback);
    }

    private Layer expand(String path, String name, ModuleSpec raw, TensorShape input, ModuleType.Role inherited, Origin fallback) {
        Origin here = raw.origin() != null ? raw.origin() : fallback;
        if (path.chars().filter(c -> c == '.').count() > 100) {
            throw new SpecException(null, "modules nest more than 100 levels deep at " + path + " (a composite that contains itself?)").locate(here);
        }
        try {
            ModuleType type;
            ModuleSpec spec;
            try {
                type = registry.require(raw.type());
                spec = normalized.contains(raw) ? raw : remember(registry.normalize(raw));
                checkRequired(type, spec);
            } catch (SpecException e) {
                throw locate(e, raw, here, path);
            }
            ModuleType.Role role = type.role() == ModuleType.Role.PLAIN ? inherited : type.role();
            if (type instanceof ContainerType c) {
                return c.isSequential() ? sequential(path, name, type.name(), spec, input, role, here)
                        : residual(path, name, type.name(), spec, input, role, here);
            }
            if (type instanceof OperatorType op) {
                try {
                    TensorShape out = op.outputShape(spec, input);
                    if (out.channelsFrom() == null) {
                        out = out.withChannels(out.channels(), here.keyPath() + " (at " + path + ")");
                    }
                    return new Layer(path, name, type.name(), Layer.Structure.OPERATOR, spec, input, out,
                            op.params(spec, input), op.macs(spec, input), List.of(), role);
                } catch (ArithmeticException e) {
                    throw new SpecException(null, "its params or MACs overflow 64-bit integers: the widths are too large");
                } catch (SpecException e) {
                    throw locate(e, spec, here, path);
                }
            }
            if (type instanceof CompositeType composite) {
                ModuleSpec inner;
                try {
                    inner = composite.expand(spec, input);
                } catch (ArithmeticException e) {
                    throw new SpecException(null, "its params or MACs overflow 64-bit integers: the widths are too large");
                } catch (SpecException e) {
                    throw locate(e, spec, here, path);
                }
                Layer x = expand(path, name, inner, input, role, here);
                return new Layer(path, name, type.name(), x.structure(), spec, input, x.output(), x.params(), x.macs(), x.children(), role);
            }
            throw new SpecException("type", "module type '" + type.name() + "' is neither a composite nor an operator");
        } catch (SpecException e) {
            throw locate(e, raw, here, path);
        }
    }

    private Layer sequential(String path, String name, String typeName, ModuleSpec spec, TensorShape input, ModuleType.Role role, Origin here) {
        List<Layer> children = new ArrayList<>();
        TensorShape shape = input;
        for (String id : spec.getNames("modules")) {
            Layer child = expand(join(path, id), id, spec.getModule(id), shape, role, spec.origin(id) != null ? spec.origin(id) : here);
            children.add(child);
            shape = child.output();
        }
        if (children.isEmpty()) {
            throw new SpecException("modules", "'modules' lists no module");
        }
        return new Layer(path, name, typeName, Layer.Structure.SEQUENTIAL, spec, input, shape, sum(children, true), sum(children, false), children, role);
    }

    private Layer residual(String path, String name, String typeName, ModuleSpec spec, TensorShape input, ModuleType.Role role, Origin here) {
        Layer body = expand(join(path, "body"), "body", spec.getModule("body"), input, role, here);
        ModuleSpec shortcutSpec = spec.has("shortcut") ? spec.getModule("shortcut") : ModuleSpec.builder("Identity").build();
        Layer shortcut = expand(join(path, "shortcut"), "shortcut", shortcutSpec, input, role, here);
        if (!compatible(body.output(), shortcut.output())) {
            throw new SpecException("body", "the residual branch gives " + body.output() + " (channels from " + body.output().channelsFrom()
                    + ") but the shortcut gives " + shortcut.output() + " (channels from " + shortcut.output().channelsFrom() + "); they must match to be added");
        }
        List<Layer> children = List.of(body, shortcut);
        return new Layer(path, name, typeName, Layer.Structure.RESIDUAL, spec, input, body.output(), sum(children, true), sum(children, false), children, role);
    }

    private ModuleSpec remember(ModuleSpec spec) {
        if (normalized.add(spec)) {
            for (Object v : spec.params().values()) {
                if (v instanceof ModuleSpec nested) {
                    remember(nested);
                }
            }
        }
        return spec;
    }

    private static boolean compatible(TensorShape a, TensorShape b) {
        if (a.rank() != b.rank()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != TensorShape.UNKNOWN && b.dim(i) != TensorShape.UNKNOWN && a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    private static long sum(List<Layer> layers, boolean params) {
        long total = 0;
        for (Layer l : layers) {
            long v = params ? l.params() : l.macs();
            if (v == TensorShape.UNKNOWN) {
                return TensorShape.UNKNOWN;
            }
            total = Math.addExact(total, v);
        }
        return total;
    }

    private static void checkRequired(ModuleType type, ModuleSpec spec) {
        for (ParamDef def : type.parameters()) {
            if (!def.optional() && !spec.has(def.name())) {
                throw new SpecException(def.name(), "missing required parameter '" + def.name() + "' of " + type.name());
            }
        }
    }

    /** Locates an error thrown about {@code spec} (its parameter's origin, else the module's). */
    private static SpecException locate(SpecException e, ModuleSpec spec, Origin here, String path) {
        if (e.isLocated()) {
            return e;
        }
        String param = e.param();
        Origin where = null;
        String key = param;
        while (key != null) {
            where = spec.origin(key);
            if (where != null) {
                break;
            }
            int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
            key = cut > 0 ? key.substring(0, cut) : null;
        }
        if (where != null) {
            return e.locate(where.withPath(where.keyPath() + param.substring(key.length())));
        }
        if (spec.origin() != null) {
            // A value set by code or by a candidate, in a module the file wrote: name the key it would have.
            Origin m = spec.origin();
            return e.locate(param == null ? m : m.withPath(m.keyPath() + "." + param));
        }
        String at = path.isEmpty() ? "" : " (in " + path + (param == null ? "" : "." + param) + ")";
        return new SpecException(param, e.problem() + at).locate(here);
    }

    private static String join(String path, String id) {
        return path.isEmpty() ? id : path + "." + id;
    }
}
