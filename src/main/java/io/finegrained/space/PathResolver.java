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
                checkItem(spec, s, segs[i + 1], path, join(here, s));
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

    /**
     * An {@code items} entry is a list the file already gives, or a parameter of the module that
     * is repeated ({@code ref} of a Repeat, {@code block} of a layer or ResNet, as written or by
     * default): anything else would pass the space and fail every candidate. When no repeated
     * module is known, only the written lists can be checked, and any name passes.
     */
    private void checkItem(ModuleSpec spec, String itemsName, String name, String path, String here) {
        java.util.Set<String> known = new java.util.TreeSet<>(spec.has(itemsName) ? spec.getItems(itemsName).keySet() : java.util.Set.of());
        if (known.contains(name)) {
            return;
        }
        ModuleType owner = registry.find(spec.type()).orElse(null);
        ModuleType template = null;
        for (String slot : List.of("ref", "block")) {
            Object value = spec.has(slot) ? spec.get(slot)
                    : owner == null ? null : owner.parameter(slot).map(ParamDef::defaultValue).orElse(null);
            if (value instanceof ModuleSpec module) {
                template = registry.find(module.type()).orElse(null);
                break;
            }
        }
        if (template == null) {
            return;
        }
        if (template.parameter(name).isPresent()) {
            return;
        }
        known.addAll(ParamDef.names(template.parameters()));
        List<String> close = Suggestions.closest(name, new ArrayList<>(known));
        throw new IllegalArgumentException("'" + path + "' names no parameter: '" + here + "' has no list '" + name + "', and "
                + template.name() + " (the module it repeats) no parameter '" + name + "'"
                + (close.isEmpty() ? " (known: " + String.join(", ", known) + ")" : "; did you mean " + Suggestions.quoteAll(close) + "?"));
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
