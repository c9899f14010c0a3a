package io.finegrained.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded job file: its top-level sections, each still a located {@link MapNode}. Each layer
 * reads its own section into its own immutable settings (the trainer section by
 * {@code io.finegrained.train}, the algorithm by {@code io.finegrained.search}, ...), so the
 * meaning of a key and its check live together. Every section but {@code search_space} is
 * optional; an absent one reads as an empty map, so defaults apply.
 */
public record JobConfig(Path file, String text, MapNode root) {

    public static final List<String> SECTIONS = List.of(
            "search_algorithm", "search_space", "trainer", "dataset", "trial", "objectives", "constraints", "spark");

    /** Loads and checks the top level: a map whose keys are known sections, with a search_space. */
    public static JobConfig load(Path file) {
        String text = YamlLoader.readText(file); // read once, within the bounds: the text parsed is the text run
        return of(file, text, YamlLoader.parse(text, file.toString()));
    }

    /** Parses text as if read from {@code file} (tests, notebooks). */
    public static JobConfig parse(String text, Path file) {
        return parse(text, file, file.toString());
    }

    /**
     * Parses text read from {@code source} (a URI: errors name it), with relative paths
     * resolving as for {@code file}.
     */
    public static JobConfig parse(String text, Path file, String source) {
        return of(file, text, YamlLoader.parse(text, source));
    }

    /** The name errors give a job written as a string rather than read from a file. */
    public static final String STRING_SOURCE = "<string>";

    /**
     * A job written as a string (a notebook cell): errors name {@value #STRING_SOURCE}, relative
     * paths resolve against {@code baseDir}, runs are named {@code search-<time>}.
     */
    public static JobConfig fromString(String text, Path baseDir) {
        return of(baseDir.resolve(STRING_SOURCE), text, YamlLoader.parse(text, STRING_SOURCE));
    }

    /**
     * This job with one dotted override ({@link Overrides}); its text becomes the tree written
     * out again, so that the config as run (and what executors read) holds the override.
     */
    public JobConfig with(String key, Object value) {
        MapNode overridden = Overrides.apply(root, key, value);
        org.yaml.snakeyaml.DumperOptions options = new org.yaml.snakeyaml.DumperOptions();
        options.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        String rendered = new org.yaml.snakeyaml.Yaml(options).dump(overridden.toPlain());
        return of(file, rendered, overridden);
    }

    private static JobConfig of(Path file, String text, MapNode root) {
        root.checkKeys(SECTIONS, "the top level of the job file");
        if (!root.has("search_space")) {
            throw new ConfigException(root.location(), "search_space", "missing required section 'search_space'");
        }
        Nodes.map(root.require("search_space"));
        return new JobConfig(file, text, root);
    }

    /** A section, or an empty map when the file has none. */
    public MapNode section(String name) {
        if (!SECTIONS.contains(name)) {
            throw new IllegalArgumentException("not a section: " + name);
        }
        return root.optMap(name);
    }

    /** The folder relative paths in the file resolve against. */
    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    /** The file name without its extension: names runs ({@code runs/<name>-<timestamp>}). */
    public String name() {
        String base = file.getFileName().toString();
        if (base.equals(STRING_SOURCE)) {
            return "search";
        }
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
