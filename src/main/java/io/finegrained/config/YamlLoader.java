package io.finegrained.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads YAML into a located {@link ConfigNode} tree.
 *
 * <p>Why SnakeYAML's composer rather than Jackson's tree model: the composer keeps each node's
 * line and column, expands aliases ({@code *name}) to the anchored node, and shows duplicate
 * keys, which Jackson's tree keeps as a plain string and silently overwrites respectively.
 * Only YAML's standard tags are accepted, plus {@code !!python/tuple} on a sequence (the seed
 * writes {@code output_size: !!python/tuple [1, 1]}), which loads as a list. Any other
 * language tag ({@code !!python/object/apply:...}, {@code !!java...}) is a located error, so
 * loading never instantiates anything.
 */
public final class YamlLoader {
    private static final String PYTHON_TUPLE = Tag.PREFIX + "python/tuple";
    private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);

    private final String fileName;
    private final ScalarReader scalars = new ScalarReader();
    private final Map<Node, Boolean> onStack = new IdentityHashMap<>();

    private YamlLoader(String fileName) {
        this.fileName = fileName;
    }

    /** Loads a file; an unreadable file or bad YAML is a {@link ConfigException}. */
    public static MapNode load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(Location.builtIn(file.toString()), "", "no such file");
        } catch (IOException e) {
            throw new ConfigException(Location.builtIn(file.toString()), "", "cannot read the file: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code fileName} names it in error messages. The document must be a map. */
    public static MapNode parse(String text, String fileName) {
        YamlLoader loader = new YamlLoader(fileName);
        Node root;
        try (Reader reader = new StringReader(text)) {
            root = newYaml().compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new ConfigException(loader.location(mark), "", "invalid YAML: " + problem + context);
        } catch (YAMLException | IOException e) {
            throw new ConfigException(Location.builtIn(fileName), "", "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            return MapNode.empty(new Location(fileName, 1, 1), "");
        }
        ConfigNode node = loader.convert(root, "");
        if (!(node instanceof MapNode map)) {
            throw ConfigException.at(node, "the file must be a map of sections (search_space, ...), found " + node.describe());
        }
        return map;
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(100);
        // Let every tag through composition: convert() then rejects all but the allowed ones
        // with the node's location, which SnakeYAML's own refusal does not name as clearly.
        options.setTagInspector(tag -> true);
        return new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
                new org.yaml.snakeyaml.DumperOptions(), options);
    }

    private Location location(Mark mark) {
        return mark == null ? Location.builtIn(fileName) : new Location(fileName, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private ConfigNode convert(Node node, String path) {
        Location here = location(node.getStartMark());
        if (onStack.containsKey(node)) {
            throw new ConfigException(here, path, "an alias refers to a node that contains it (a recursive structure)");
        }
        onStack.put(node, Boolean.TRUE);
        try {
            return switch (node.getNodeId()) {
                case scalar -> convertScalar((org.yaml.snakeyaml.nodes.ScalarNode) node, here, path);
                case sequence -> convertSequence((SequenceNode) node, here, path);
                case mapping -> convertMapping((MappingNode) node, here, path);
                default -> throw new ConfigException(here, path, "unsupported YAML node");
            };
        } finally {
            onStack.remove(node);
        }
    }

    private ConfigNode convertScalar(org.yaml.snakeyaml.nodes.ScalarNode node, Location here, String path) {
        Tag tag = node.getTag();
        if (!SCALAR_TAGS.contains(tag)) {
            throw rejectedTag(tag, here, path);
        }
        if (tag.equals(Tag.TIMESTAMP)) {
            return new ScalarNode(node.getValue(), here, path);
        }
        Object value;
        try {
            value = scalars.read(node);
        } catch (YAMLException | NumberFormatException e) {
            throw new ConfigException(here, path, "cannot read '" + node.getValue() + "' as " + tag.getValue().replace(Tag.PREFIX, ""));
        }
        if (value instanceof Integer i) {
            value = i.longValue();
        } else if (value instanceof Float f) {
            value = f.doubleValue();
        } else if (value instanceof java.math.BigInteger b && b.bitLength() < 64) {
            value = b.longValue();
        }
        return new ScalarNode(value, here, path);
    }

    private ConfigNode convertSequence(SequenceNode node, Location here, String path) {
        Tag tag = node.getTag();
        if (!tag.equals(Tag.SEQ) && !tag.getValue().equals(PYTHON_TUPLE)) {
            throw rejectedTag(tag, here, path);
        }
        List<ConfigNode> items = new ArrayList<>();
        List<Node> values = node.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(convert(values.get(i), path + "[" + i + "]"));
        }
        return new ListNode(items, here, path);
    }

    private ConfigNode convertMapping(MappingNode node, Location here, String path) {
        if (!node.getTag().equals(Tag.MAP)) {
            throw rejectedTag(node.getTag(), here, path);
        }
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Map<String, Location> keyLocations = new LinkedHashMap<>();
        List<MapNode> merged = new ArrayList<>();
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Location keyLocation = location(keyNode.getStartMark());
            if (keyNode.getTag().equals(Tag.MERGE)) {
                collectMerge(convert(tuple.getValueNode(), path), merged);
                continue;
            }
            if (!(keyNode instanceof org.yaml.snakeyaml.nodes.ScalarNode keyScalar)) {
                throw new ConfigException(keyLocation, path, "a key must be a plain name, found a " + keyNode.getNodeId());
            }
            String key = keyScalar.getValue();
            String childPath = ConfigNode.childPath(path, key);
            if (entries.containsKey(key)) {
                throw new ConfigException(keyLocation, childPath,
                        "duplicate key '" + key + "' (first written at line " + keyLocations.get(key).line() + ")");
            }
            keyLocations.put(key, keyLocation);
            entries.put(key, convert(tuple.getValueNode(), childPath));
        }
        for (MapNode source : merged) {
            source.entries().forEach((k, v) -> {
                if (!entries.containsKey(k)) {
                    entries.put(k, v);
                    keyLocations.put(k, source.keyLocation(k));
                }
            });
        }
        return new MapNode(entries, keyLocations, here, path);
    }

    private static void collectMerge(ConfigNode value, List<MapNode> into) {
        if (value instanceof MapNode m) {
            into.add(m);
        } else if (value instanceof ListNode l) {
            for (ConfigNode item : l.items()) {
                into.add(Nodes.map(item));
            }
        } else {
            throw ConfigException.at(value, "a merge key '<<' takes a map or a list of maps");
        }
    }

    private static ConfigException rejectedTag(Tag tag, Location here, String path) {
        String name = tag.getValue().startsWith(Tag.PREFIX) ? "!!" + tag.getValue().substring(Tag.PREFIX.length()) : tag.getValue();
        return new ConfigException(here, path, "the YAML tag '" + name
                + "' is not allowed (only standard YAML values, and !!python/tuple on a list)");
    }

    /** Reads a scalar with YAML's own rules (ints in any base, floats, booleans, null). */
    private static final class ScalarReader extends SafeConstructor {
        ScalarReader() {
            super(new LoaderOptions());
        }

        Object read(Node node) {
            return constructObject(node);
        }
    }
}
