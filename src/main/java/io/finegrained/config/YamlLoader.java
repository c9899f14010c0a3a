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
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
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
 *
 * <p>Bounds (docs/limits.md), each a located {@link ConfigException}, checked in this order so
 * that nothing large is ever built: the file's size ({@link Limits#maxBytes}, read no further);
 * UTF-8 text without control characters (a binary file is named as such); the nesting of lists
 * and maps and the number of nodes as written ({@link Limits#maxDepth}, {@link Limits#maxNodes},
 * on the parser's events as SnakeYAML's composer pulls them: it stops at the first event past a
 * limit);
 * then, on SnakeYAML's composed graph, in which an alias is one shared node, the size and depth
 * the aliases expand the file to ({@link Limits#maxNodes}): computed once per distinct node, so
 * a "billion laughs" file is refused without building a single configuration node. SnakeYAML's
 * own limit counts aliases (100), not what they expand to: 90 aliases nested 9 deep are 10^9
 * nodes.
 */
public final class YamlLoader {
    /**
     * The largest configuration file: 1 MiB, some twenty times the largest real one. Why not
     * more: SnakeYAML reads about 150,000 nodes a second here, so a 1 MiB file of short
     * scalars already takes seconds.
     */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The deepest nesting of lists and maps, aliases expanded. */
    public static final int MAX_DEPTH = 64;
    /** The most nodes (maps, lists, scalars) a file may expand to, aliases expanded. */
    public static final long MAX_NODES = 1_000_000;
    /** The most aliases of lists and maps in a file (SnakeYAML's own limit, refused here with a place). */
    public static final int MAX_COLLECTION_ALIASES = 100;
    private static final String PYTHON_TUPLE = Tag.PREFIX + "python/tuple";
    private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);

    /**
     * The bounds of one load.
     *
     * @param maxBytes the file's size in bytes (a string's in characters)
     * @param maxDepth nesting of lists and maps, the document's own map being 1
     * @param maxNodes nodes after alias expansion; a key is not a node, its value is
     */
    record Limits(long maxBytes, int maxDepth, long maxNodes) {
        static final Limits DEFAULT = new Limits(MAX_FILE_BYTES, MAX_DEPTH, MAX_NODES);
    }

    private final String fileName;
    private final Limits limits;
    private final ScalarReader scalars = new ScalarReader();
    private final Map<Node, Boolean> onStack = new IdentityHashMap<>();
    /** Per composed node: its size and height once aliases are expanded. */
    private final Map<Node, long[]> expanded = new IdentityHashMap<>();
    private long nodesBuilt;

    YamlLoader(String fileName, Limits limits) {
        this.fileName = fileName;
        this.limits = limits;
    }

    /** How many configuration nodes this loader built (for the tests of the bounds). */
    long nodesBuilt() {
        return nodesBuilt;
    }

    /** Loads a file; an unreadable, too large or non-text file, or bad YAML, is a {@link ConfigException}. */
    public static MapNode load(Path file) {
        return parse(readText(file), file.toString());
    }

    /**
     * A configuration file's text: at most {@link #MAX_FILE_BYTES} bytes of UTF-8 (read no
     * further), or a located {@link ConfigException} saying what the file is instead.
     */
    public static String readText(Path file) {
        return readText(file, Limits.DEFAULT);
    }

    static String readText(Path file, Limits limits) {
        String name = file.toString();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return readText(in, name, limits);
        } catch (NoSuchFileException e) {
            throw new ConfigException(Location.builtIn(name), "", "no such file");
        } catch (IOException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new ConfigException(Location.builtIn(name), "", "cannot read the file: " + why);
        }
    }

    /**
     * The text of a configuration read from a stream (a job file on HDFS or S3), within the same
     * bounds as a local file's; {@code name} names it in errors. IOException is the caller's to word.
     */
    public static String readText(java.io.InputStream in, String name) throws IOException {
        return readText(in, name, Limits.DEFAULT);
    }

    private static String readText(java.io.InputStream stream, String name, Limits limits) throws IOException {
        byte[] bytes = stream.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
        if (bytes.length > limits.maxBytes()) {
            String before = new String(bytes, 0, (int) limits.maxBytes(), StandardCharsets.UTF_8);
            throw new ConfigException(locationAt(name, before), "", "the file is larger than " + sizeText(limits.maxBytes())
                    + ", the limit of a configuration file (it goes on past this point); is it the right file?");
        }
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            out.flip();
            throw new ConfigException(locationAt(name, out.toString()), "", String.format(
                    "the file is not UTF-8 text: byte 0x%02X (at offset %d) cannot be read as UTF-8; is it a binary file? "
                            + "A configuration file is YAML text in UTF-8", bytes[offset] & 0xff, offset));
        }
        out.flip();
        return out.toString();
    }

    /** Parses YAML text; {@code fileName} names it in error messages. The document must be a map. */
    public static MapNode parse(String text, String fileName) {
        return new YamlLoader(fileName, Limits.DEFAULT).read(text);
    }

    /** Parses YAML text within this loader's limits. */
    MapNode read(String text) {
        if (text.length() > limits.maxBytes()) {
            throw new ConfigException(locationAt(fileName, text.substring(0, (int) limits.maxBytes())), "", "the text is longer than "
                    + String.format("%,d", limits.maxBytes()) + " characters, the limit of a configuration (it goes on past this point)");
        }
        checkCharacters(text);
        LoaderOptions options = loaderOptions(limits);
        Node root;
        try (Reader reader = new StringReader(text)) {
            // Composed from bounded events: the composer never sees past a limit, and its
            // recursion never goes deeper than the depth limit.
            Parser events = new BoundedEvents(new ParserImpl(new StreamReader(reader), options));
            root = new Composer(events, new Resolver(), options).getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new ConfigException(location(mark), "", "invalid YAML: " + problem + context);
        } catch (YAMLException | IOException e) {
            throw new ConfigException(Location.builtIn(fileName), "", "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            return MapNode.empty(new Location(fileName, 1, 1), "");
        }
        checkExpansion(root);
        ConfigNode node = convert(root, "");
        if (!(node instanceof MapNode map)) {
            throw ConfigException.at(node, "the file must be a map of sections (search_space, ...), found " + node.describe());
        }
        return map;
    }

    /**
     * YAML allows tab, line breaks and printable characters only; anything else (a NUL, a bell,
     * an escape) means the file is not text, and saying so beats SnakeYAML's "special characters
     * are not allowed".
     */
    private void checkCharacters(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean printable = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0x7e || c == 0x85
                    || c >= 0xa0 && c <= 0xd7ff || c >= 0xe000 && c <= 0xfffd && (c != 0xfeff || i == 0) || c >= 0x10000 && c <= 0x10ffff;
            if (!printable) {
                throw new ConfigException(locationAt(fileName, text.substring(0, i)), "", String.format(
                        "the file holds the control character U+%04X, so it is binary, not YAML text; "
                                + "a configuration file is YAML text in UTF-8", c));
            }
            i += Character.charCount(c);
        }
    }

    /**
     * The parser's events as the composer pulls them, checked for the nesting and the number of
     * nodes as written: the composer stops at the event that passes a limit, so nothing beyond
     * it is built. (Aliases are measured after composition, where they are shared nodes.)
     */
    private final class BoundedEvents implements Parser {
        private final Parser parser;
        /** One entry per open collection: for a map, whether its next child is a key (not a node). */
        private final java.util.ArrayDeque<boolean[]> open = new java.util.ArrayDeque<>();
        private long written;
        /** Anchors that name a list or map, and how many aliases of them came so far. */
        private final java.util.Set<String> collectionAnchors = new java.util.HashSet<>();
        private int collectionAliases;

        BoundedEvents(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event event = parser.getEvent();
            if (event instanceof CollectionEndEvent) {
                open.pop();
            } else if (event instanceof NodeEvent) {
                boolean[] parent = open.peek();
                boolean inMap = parent != null && parent.length == 2;
                boolean isKey = inMap && parent[0];
                if (inMap) {
                    parent[0] = !parent[0];
                }
                // SnakeYAML refuses the 101st alias of a list or map with neither a place nor
                // plain words: counted here, where the alias is, instead.
                if (event instanceof NodeEvent node && node.getAnchor() != null && !(event instanceof AliasEvent)) {
                    if (event instanceof CollectionStartEvent) {
                        collectionAnchors.add(node.getAnchor());
                    } else {
                        collectionAnchors.remove(node.getAnchor());
                    }
                }
                if (event instanceof AliasEvent alias && collectionAnchors.contains(alias.getAnchor())
                        && ++collectionAliases > MAX_COLLECTION_ALIASES) {
                    throw new ConfigException(location(event.getStartMark()), "", "the file holds more than " + MAX_COLLECTION_ALIASES
                            + " aliases (*name) of lists or maps by here, the limit of a configuration file; write the repeated parts out");
                }
                if (!isKey && !(event instanceof AliasEvent) && ++written > limits.maxNodes()) {
                    throw new ConfigException(location(event.getStartMark()), "", "the file holds more than "
                            + String.format("%,d", limits.maxNodes()) + " nodes (maps, lists and values) by here, the limit of a configuration file");
                }
                if (event instanceof CollectionStartEvent) {
                    if (open.size() + 1 > limits.maxDepth()) {
                        throw new ConfigException(location(event.getStartMark()), "", "the lists and maps nest deeper than "
                                + limits.maxDepth() + " levels here, the limit of a configuration file");
                    }
                    // a map's entry has two slots (the second marks it a map), a list's one
                    open.push(event instanceof MappingStartEvent ? new boolean[] {true, true} : new boolean[] {false});
                }
            }
            return event;
        }
    }

    /**
     * Refuses a file whose aliases expand it beyond {@link Limits#maxNodes} nodes or
     * {@link Limits#maxDepth} levels, located at the smallest part that is too large. Sizes are
     * computed once per composed node (an alias is the anchored node itself), so this costs the
     * file's size, not its expansion's.
     */
    private void checkExpansion(Node root) {
        long[] whole = measure(root, "");
        if (whole[0] > limits.maxNodes()) {
            Node node = root;
            String path = "";
            for (boolean deeper = true; deeper; ) {
                deeper = false;
                for (Map.Entry<String, Node> child : children(node, path)) {
                    if (expanded.get(child.getValue())[0] > limits.maxNodes()) {
                        node = child.getValue();
                        path = child.getKey();
                        deeper = true;
                        break;
                    }
                }
            }
            throw new ConfigException(location(node.getStartMark()), path, "aliases (*name) expand this "
                    + (node == root ? "file" : "value") + " to " + (expanded.get(node)[0] == Long.MAX_VALUE ? "more than " : "")
                    + String.format("%,d", expanded.get(node)[0]) + " nodes, more than the limit of " + String.format("%,d", limits.maxNodes())
                    + " for a configuration file (the whole file: " + (whole[0] == Long.MAX_VALUE ? "more than " : "")
                    + String.format("%,d", whole[0]) + "); write the repeated part out, or anchor a smaller part");
        }
        if (whole[1] > limits.maxDepth()) {
            Node node = root;
            String path = "";
            for (int level = 1; level < limits.maxDepth(); level++) {
                Map.Entry<String, Node> tallest = null;
                for (Map.Entry<String, Node> child : children(node, path)) {
                    if (tallest == null || expanded.get(child.getValue())[1] > expanded.get(tallest.getValue())[1]) {
                        tallest = child;
                    }
                }
                node = tallest.getValue();
                path = tallest.getKey();
            }
            throw new ConfigException(location(node.getStartMark()), path, "aliases (*name) make the lists and maps nest deeper than "
                    + limits.maxDepth() + " levels here, the limit of a configuration file");
        }
    }

    /** {size, height} of a composed node with aliases expanded: size in nodes, height in nested lists and maps. */
    private long[] measure(Node node, String path) {
        long[] known = expanded.get(node);
        if (known != null) {
            return known;
        }
        if (onStack.containsKey(node)) {
            throw new ConfigException(location(node.getStartMark()), path, "an alias refers to a node that contains it (a recursive structure)");
        }
        onStack.put(node, Boolean.TRUE);
        long size = 1;
        long height = node instanceof org.yaml.snakeyaml.nodes.ScalarNode ? 0 : 1;
        try {
            for (Map.Entry<String, Node> child : children(node, path)) {
                long[] c = measure(child.getValue(), child.getKey());
                size = size + c[0] < 0 ? Long.MAX_VALUE : size + c[0]; // saturates: a bomb's size may pass 2^63
                height = Math.max(height, 1 + c[1]);
            }
        } finally {
            onStack.remove(node);
        }
        long[] result = {size, height};
        expanded.put(node, result);
        return result;
    }

    /** A composed node's children with their key paths, as {@link #convert} builds them (keys are not nodes). */
    private static List<Map.Entry<String, Node>> children(Node node, String path) {
        List<Map.Entry<String, Node>> out = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                out.add(Map.entry(path + "[" + i + "]", items.get(i)));
            }
        } else if (node instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                Node key = tuple.getKeyNode();
                String childPath = key instanceof org.yaml.snakeyaml.nodes.ScalarNode k && !key.getTag().equals(Tag.MERGE)
                        ? ConfigNode.childPath(path, k.getValue()) : path;
                out.add(Map.entry(childPath, tuple.getValueNode()));
            }
        }
        return out;
    }

    /** The place just after {@code before}, the text that precedes it. */
    private static Location locationAt(String fileName, String before) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < before.length(); i++) {
            if (before.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Location(fileName, line, before.codePointCount(lineStart, before.length()) + 1);
    }

    private static String sizeText(long bytes) {
        return bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : String.format("%,d", bytes) + (bytes == 1 ? " byte" : " bytes");
    }

    private static LoaderOptions loaderOptions(Limits limits) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        // Our own bounds come first and are located; SnakeYAML's stay above them as a backstop.
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes() + 1));
        options.setNestingDepthLimit(limits.maxDepth() + 2);
        // Let every tag through composition: convert() then rejects all but the allowed ones
        // with the node's location, which SnakeYAML's own refusal does not name as clearly.
        options.setTagInspector(tag -> true);
        return options;
    }

    private Location location(Mark mark) {
        return mark == null ? Location.builtIn(fileName) : new Location(fileName, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private ConfigNode convert(Node node, String path) {
        nodesBuilt++;
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
        }
        if (value instanceof Double d) {
            checkReal(d, node.getValue(), here, path);
        } else if (value instanceof java.math.BigInteger b && b.bitLength() < 64) {
            value = b.longValue();
        }
        return new ScalarNode(value, here, path);
    }

    /**
     * A real number as written must survive as a double: {@code 1e400} is not infinity and
     * {@code 1e-400} is not zero. YAML's own {@code .inf} and {@code .nan} stay what they say
     * (refused where a finite number is needed).
     */
    private static void checkReal(double value, String written, Location here, String path) {
        String text = written.strip().replace("_", "");
        if (Double.isInfinite(value) && !text.toLowerCase(java.util.Locale.ROOT).endsWith(".inf")) {
            throw new ConfigException(here, path, "the number " + text + " is too " + (value > 0 ? "large" : "small")
                    + " for a real number (" + (value > 0 ? "at most " : "at least -") + Double.MAX_VALUE + ")");
        }
        if (value == 0.0) {
            String mantissa = text.split("[eE]", 2)[0];
            if (mantissa.chars().anyMatch(c -> c >= '1' && c <= '9')) {
                throw new ConfigException(here, path, "the number " + text + " is too close to zero for a real number: it would be read as 0 "
                        + "(the smallest is " + Double.MIN_VALUE + ")");
            }
        }
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
