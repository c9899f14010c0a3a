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
import java.util.List;
import java.util.Map;

/** Reads module sections of a loaded YAML file into {@link ModuleSpec}s with origins, checking every value. */
final class SpecReader {
    private final ModuleRegistry registry;

    SpecReader(ModuleRegistry registry) {
        this.registry = registry;
    }

    /**
     * A module written as a map with a {@code type}. Top-level sections must give every required
     * parameter; nested modules (a {@code block} template) may leave them to their owner.
     */
    ModuleSpec readModule(MapNode map, boolean topLevel) {
        ConfigNode typeNode = map.get("type").orElseThrow(
                () -> new ConfigException(map.location(), map.childPath("type"), "missing required key 'type' (the module type)"));
        String typeName = Nodes.scalar(typeNode).asString();
        ModuleType type = registry.find(typeName)
                .orElseThrow(() -> ConfigException.at(typeNode, registry.unknownType(typeName)));
        if (type == ContainerType.FINE_GRAINED_SPACE) {
            throw ConfigException.at(typeNode, "FineGrainedSpace is the type of search_space itself, not of a module");
        }
        ModuleSpec.Builder b = ModuleSpec.builder(typeName, Origin.of(map));
        List<String> declared = ParamDef.names(type.parameters());
        List<String> ids = List.of();
        if (type instanceof ContainerType c && c.isSequential()) {
            ids = readIds(map);
        }
        for (String key : map.keys()) {
            if (!key.equals("type") && !declared.contains(key) && !ids.contains(key)) {
                List<String> allowed = new ArrayList<>(declared);
                allowed.addAll(ids);
                List<String> close = Suggestions.closest(key, allowed);
                throw new ConfigException(map.keyLocation(key), map.childPath(key), "unknown parameter '" + key + "' of " + typeName
                        + (close.isEmpty() ? " (parameters: " + String.join(", ", declared) + ")" : "; did you mean " + Suggestions.quoteAll(close) + "?"));
            }
        }
        for (ParamDef def : type.parameters()) {
            ConfigNode node = map.get(def.name()).orElse(null);
            if (node == null || node instanceof ScalarNode s && s.isNull()) {
                if (def.defaultValue() != null) {
                    b.set(def.name(), def.defaultValue());
                } else if (!def.optional() && topLevel) {
                    throw new ConfigException(map.location(), map.childPath(def.name()),
                            "missing required parameter '" + def.name() + "' of " + typeName + " (" + def.doc() + ")");
                }
                continue;
            }
            b.set(def.name(), readValue(def, node), Origin.of(node));
            if (def.kind() == ParamKind.ITEMS) {
                MapNode items = Nodes.map(node);
                for (String k : items.keys()) {
                    b.origin(def.name() + "." + k, Origin.of(items.require(k)));
                }
            }
        }
        for (String id : ids) {
            b.set(id, readModule(Nodes.map(map.require(id)), topLevel), Origin.of(map.require(id)));
        }
        return b.build();
    }

    /** The {@code modules} list of a sequential map: distinct ids, each with a section. */
    List<String> readIds(MapNode map) {
        ListNode list = map.optList("modules").orElseThrow(
                () -> new ConfigException(map.location(), map.childPath("modules"), "missing required key 'modules' (the ids of the modules, in order)"));
        List<String> ids = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            String id = Nodes.scalar(item).text();
            if (ids.contains(id)) {
                throw ConfigException.at(item, "'" + id + "' is listed twice in modules");
            }
            if (!map.has(id)) {
                throw ConfigException.at(item, "modules lists '" + id + "' but there is no section '" + id + "' beside it");
            }
            if (id.contains(".") || id.equals("type") || id.equals("modules")) {
                throw ConfigException.at(item, "'" + id + "' cannot name a module (no dots, not 'type' or 'modules')");
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw ConfigException.at(list, "modules is empty");
        }
        return ids;
    }

    private Object readValue(ParamDef def, ConfigNode node) {
        Object value;
        if (def.kind() == ParamKind.MODULE) {
            if (node instanceof MapNode m) {
                return readModule(m, false);
            }
            String name = Nodes.scalar(node).asString();
            if (registry.find(name).isEmpty()) {
                throw ConfigException.at(node, registry.unknownType(name));
            }
            return ModuleSpec.builder(name, Origin.of(node)).build();
        }
        if (def.kind() == ParamKind.ITEMS) {
            MapNode items = Nodes.map(node);
            Map<String, List<Long>> out = new LinkedHashMap<>();
            for (String k : items.keys()) {
                @SuppressWarnings("unchecked")
                List<Long> list = (List<Long>) ParamKind.INT_LIST.read(items.require(k));
                out.put(k, list);
            }
            value = ParamKind.ITEMS.coerce(out);
        } else {
            value = def.kind().read(node);
        }
        try {
            def.checkRange(value);
        } catch (SpecException e) {
            String suffix = e.param().substring(def.name().length());
            throw new ConfigException(elementLocation(node, suffix), node.path() + suffix, e.problem());
        }
        return value;
    }

    /** The location of {@code [i]} / {@code [i][j]} / {@code .k[i]} inside a node, or the node's own. */
    private static io.finegrained.config.Location elementLocation(ConfigNode node, String suffix) {
        ConfigNode at = node;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]").matcher(suffix);
        while (m.find()) {
            if (m.group(1) != null && at instanceof MapNode map && map.has(m.group(1))) {
                at = map.require(m.group(1));
            } else if (m.group(2) != null && at instanceof ListNode list && Integer.parseInt(m.group(2)) < list.size()) {
                at = list.get(Integer.parseInt(m.group(2)));
            }
        }
        return at.location();
    }
}
