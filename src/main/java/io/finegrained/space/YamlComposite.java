package io.finegrained.space;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.ScalarNode;
import io.finegrained.config.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A composite module written in YAML, in a search space's {@code define} section: parameters
 * with defaults, and a body of modules in sequence where a value written {@code $name} takes the
 * parameter's value.
 *
 * <pre>
 * define:
 *   ConvBnRelu:
 *     doc: 3x3 convolution, BatchNorm, ReLU
 *     params:
 *       width: 16                                  # the default; its kind follows the value
 *       stride: {kind: INT, default: 1, doc: stride of the convolution}
 *     modules: [conv, bn, relu]
 *     conv: {type: Conv2d, out_channels: $width, kernel_size: 3, stride: $stride, padding: 1, bias: false}
 *     bn: {type: BatchNorm2d}
 *     relu: {type: ReLU}
 * </pre>
 */
public final class YamlComposite implements CompositeType {
    private static final List<ParamKind> KINDS = List.of(ParamKind.INT, ParamKind.FLOAT, ParamKind.BOOL, ParamKind.STRING,
            ParamKind.INT_LIST, ParamKind.INT_PAIR);

    private final String name;
    private final String doc;
    private final List<ParamDef> parameters;
    private final ModuleSpec body;

    private YamlComposite(String name, String doc, List<ParamDef> parameters, ModuleSpec body) {
        this.name = name;
        this.doc = doc;
        this.parameters = List.copyOf(parameters);
        this.body = body;
    }

    /** Reads every definition of a {@code define} map (names must not clash with registered types). */
    public static List<YamlComposite> readAll(MapNode define, ModuleRegistry registry) {
        List<YamlComposite> out = new ArrayList<>();
        for (String typeName : define.keys()) {
            if (registry.find(typeName).isPresent()) {
                throw new ConfigException(define.keyLocation(typeName), define.childPath(typeName),
                        "'" + typeName + "' is a registered module type already; give the definition another name");
            }
            out.add(read(typeName, Nodes.map(define.require(typeName))));
        }
        return out;
    }

    /** Reads one definition. */
    public static YamlComposite read(String typeName, MapNode def) {
        List<String> ids = new ArrayList<>();
        ListNode modules = def.optList("modules").orElseThrow(() -> new ConfigException(def.location(), def.childPath("modules"),
                "missing required key 'modules' (the ids of the definition's modules, in order)"));
        for (ConfigNode item : modules.items()) {
            String id = Nodes.scalar(item).text();
            if (!def.has(id)) {
                throw ConfigException.at(item, "modules lists '" + id + "' but there is no section '" + id + "' beside it");
            }
            ids.add(id);
        }
        List<String> allowed = new ArrayList<>(List.of("doc", "params", "modules"));
        allowed.addAll(ids);
        def.checkKeys(allowed, "the definition of " + typeName);
        List<ParamDef> params = new ArrayList<>();
        MapNode paramMap = def.optMap("params");
        for (String p : paramMap.keys()) {
            params.add(readParam(p, paramMap.require(p)));
        }
        Set<String> names = new LinkedHashSet<>();
        params.forEach(p -> names.add(p.name()));
        ModuleSpec.Builder b = ModuleSpec.builder("Sequential", Origin.of(def)).set("modules", List.copyOf(ids), Origin.of(modules));
        for (String id : ids) {
            b.set(id, template(Nodes.map(def.require(id)), names), Origin.of(def.require(id)));
        }
        String doc = def.has("doc") ? Nodes.scalar(def.require("doc")).text() : "Defined in YAML.";
        return new YamlComposite(typeName, doc, params, b.build());
    }

    private static ParamDef readParam(String name, ConfigNode node) {
        if (node instanceof MapNode m) {
            m.checkKeys(List.of("kind", "default", "doc"), "parameter '" + name + "'");
            String kindName = m.requireString("kind").toUpperCase(Locale.ROOT);
            ParamKind kind = KINDS.stream().filter(k -> k.name().equals(kindName)).findFirst().orElseThrow(() ->
                    ConfigException.at(m.require("kind"), "unknown parameter kind '" + kindName + "' (kinds: "
                            + String.join(", ", KINDS.stream().map(Enum::name).toList()) + ")"));
            Object dflt = m.has("default") ? kind.read(m.require("default")) : null;
            String doc = m.has("doc") ? Nodes.scalar(m.require("doc")).text() : "";
            return new ParamDef(name, kind, dflt, dflt != null, null, null, doc);
        }
        Object value = node.toPlain();
        ParamKind kind = value instanceof Long ? ParamKind.INT : value instanceof Double ? ParamKind.FLOAT
                : value instanceof Boolean ? ParamKind.BOOL : value instanceof String ? ParamKind.STRING
                : value instanceof List<?> ? ParamKind.INT_LIST : null;
        if (kind == null) {
            throw ConfigException.at(node, "a parameter is a default value (number, text, boolean, list of integers) or {kind, default, doc}");
        }
        return ParamDef.withDefault(name, kind, kind.read(node), "");
    }

    /** A module of the body, values kept as written ($name included) with their origins. */
    private static ModuleSpec template(MapNode map, Set<String> params) {
        String type = map.requireString("type");
        ModuleSpec.Builder b = ModuleSpec.builder(type, Origin.of(map));
        for (String key : map.keys()) {
            if (key.equals("type")) {
                continue;
            }
            ConfigNode node = map.require(key);
            if (node instanceof MapNode m && m.has("type")) {
                b.set(key, template(m, params), Origin.of(node));
            } else {
                checkPlaceholders(node, params);
                b.set(key, node.toPlain(), Origin.of(node));
                if (node instanceof MapNode items) {
                    for (String k : items.keys()) {
                        b.origin(key + "." + k, Origin.of(items.require(k)));
                    }
                }
            }
        }
        return b.build();
    }

    private static void checkPlaceholders(ConfigNode node, Set<String> params) {
        if (node instanceof ScalarNode s && s.value() instanceof String text && text.startsWith("$")) {
            String p = text.substring(1);
            if (!params.contains(p)) {
                List<String> close = Suggestions.closest(p, params);
                throw ConfigException.at(node, "'" + text + "' names no parameter of the definition"
                        + (close.isEmpty() ? " (params: " + String.join(", ", params) + ")" : "; did you mean '$" + close.get(0) + "'?"));
            }
        } else if (node instanceof ListNode l) {
            l.items().forEach(i -> checkPlaceholders(i, params));
        } else if (node instanceof MapNode m) {
            m.entries().values().forEach(v -> checkPlaceholders(v, params));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String doc() {
        return doc;
    }

    @Override
    public List<ParamDef> parameters() {
        return parameters;
    }

    @Override
    public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
        return (ModuleSpec) substitute(body, spec);
    }

    private Object substitute(Object value, ModuleSpec args) {
        if (value instanceof String s && s.startsWith("$")) {
            String p = s.substring(1);
            if (!args.has(p)) {
                throw new SpecException(p, "parameter '" + p + "' of " + name + " has no value");
            }
            return args.get(p);
        }
        if (value instanceof ModuleSpec m) {
            ModuleSpec.Builder b = m.toBuilder();
            for (Map.Entry<String, Object> e : m.params().entrySet()) {
                Object v = e.getValue();
                boolean placeholder = v instanceof String s && s.startsWith("$");
                // A substituted value keeps the origin of the argument, so errors point at what the user wrote.
                b.set(e.getKey(), substitute(v, args), placeholder ? args.origin(((String) v).substring(1)) : m.origin(e.getKey()));
            }
            m.origins().forEach((k, o) -> {
                if (k.contains(".")) {
                    b.origin(k, o);
                }
            });
            return b.build();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(substitute(v, args)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), substitute(v, args)));
            return out;
        }
        return value;
    }
}
