package io.finegrained.space;

import io.finegrained.config.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds and sets values by dotted path in a module tree; errors are {@link IllegalArgumentException}s saying why. */
final class PathResolver {
    private static final ParamDef TYPE = ParamDef.required("type", ParamKind.STRING, "the module type");

    private final ModuleRegistry registry;

    PathResolver(ModuleRegistry registry) {
        this.registry = registry;
    }

    /** The declaration of the value at the path. */
    ParamDef lookup(ModuleSpec root, String path) {
        String[] segs = split(path);
        ModuleSpec spec = root;
        String here = "";
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            boolean last = i == segs.length - 1;
            if (s.equals("type") && last && spec != root) {
                return TYPE;
            }
            ParamDef def = param(spec, s, path, here);
            if (last) {
                return def;
            }
            if (def.kind() == ParamKind.ITEMS && i + 2 == segs.length) {
                return new ParamDef(segs[i + 1], ParamKind.INT_LIST, null, true, null, null, "per-copy values of " + segs[i + 1]);
            }
            if (def.kind() != ParamKind.MODULE) {
                throw new IllegalArgumentException("'" + path + "' names no parameter: '" + join(here, s) + "' is " + def.kind().description()
                        + ", it has no parts");
            }
            spec = child(spec, def, path);
            here = join(here, s);
        }
        throw new IllegalArgumentException("'" + path + "' names no parameter");
    }

    /** The tree with the value at the path set (checked against its declaration). */
    ModuleSpec set(ModuleSpec root, String path, Object value, Origin origin) {
        return set(root, root, split(path), 0, value, origin, path, "");
    }

    private ModuleSpec set(ModuleSpec root, ModuleSpec spec, String[] segs, int i, Object value, Origin origin, String path, String here) {
        String s = segs[i];
        boolean last = i == segs.length - 1;
        if (s.equals("type") && last && spec != root) {
            if (!(value instanceof String type) || registry.find(type).isEmpty()) {
                throw new IllegalArgumentException(value instanceof String t ? registry.unknownType(t) : "expected a module type name, got " + value);
            }
            return spec.withType(type);
        }
        ParamDef def = param(spec, s, path, here);
        if (last) {
            Object v = def.kind().coerce(value);
            try {
                def.checkRange(v);
            } catch (SpecException e) {
                throw new IllegalArgumentException(e.problem());
            }
            return spec.toBuilder().set(s, v, origin).build();
        }
        if (def.kind() == ParamKind.ITEMS && i + 2 == segs.length) {
            Map<String, List<Long>> items = spec.has(s) ? new LinkedHashMap<>(spec.getItems(s)) : new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            List<Long> list = (List<Long>) ParamKind.INT_LIST.coerce(value);
            items.put(segs[i + 1], list);
            ModuleSpec.Builder b = spec.toBuilder().set(s, ParamKind.ITEMS.coerce(items), spec.origin(s));
            b.origin(s + "." + segs[i + 1], origin);
            return b.build();
        }
        if (def.kind() != ParamKind.MODULE) {
            throw new IllegalArgumentException("'" + path + "' names no parameter: '" + join(here, s) + "' is " + def.kind().description()
                    + ", it has no parts");
        }
        ModuleSpec child = child(spec, def, path);
        ModuleSpec updated = set(root, child, segs, i + 1, value, origin, path, join(here, s));
        return spec.toBuilder().set(s, updated, spec.origin(s)).build();
    }

    private ParamDef param(ModuleSpec spec, String name, String path, String here) {
        ModuleType type = registry.find(spec.type()).orElseThrow(() -> new IllegalArgumentException(registry.unknownType(spec.type())));
        if (type instanceof ContainerType c && c.isSequential()) {
            List<String> ids = spec.getNames("modules");
            if (ids.contains(name)) {
                return ParamDef.required(name, ParamKind.MODULE, "module " + name);
            }
            if (name.equals("modules")) {
                throw new IllegalArgumentException("'" + path + "': the list of modules cannot be searched");
            }
            List<String> close = Suggestions.closest(name, ids);
            throw new IllegalArgumentException("'" + path + "' names no parameter: " + (here.isEmpty() ? "there is no module '" + name + "'"
                    : "'" + here + "' has no module '" + name + "'") + (close.isEmpty() ? " (modules: " + String.join(", ", ids) + ")"
                    : "; did you mean " + Suggestions.quoteAll(close) + "?"));
        }
        return type.parameter(name).orElseThrow(() -> {
            List<String> names = new ArrayList<>(ParamDef.names(type.parameters()));
            List<String> close = Suggestions.closest(name, names);
            return new IllegalArgumentException("'" + path + "' names no parameter: module '" + here + "' (" + type.name()
                    + ") has no parameter '" + name + "'" + (close.isEmpty() ? " (parameters: " + String.join(", ", names) + ")"
                    : "; did you mean " + Suggestions.quoteAll(close) + "?"));
        });
    }

    private ModuleSpec child(ModuleSpec spec, ParamDef def, String path) {
        if (spec.has(def.name())) {
            return spec.getModule(def.name());
        }
        if (def.defaultValue() instanceof ModuleSpec d) {
            return d;
        }
        throw new IllegalArgumentException("'" + path + "': '" + def.name() + "' is not set, so it has no parameters to set");
    }

    private static String[] split(String path) {
        if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException("'" + path + "' is not a dotted path (module.parameter)");
        }
        return path.split("\\.");
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "." + b;
    }
}
