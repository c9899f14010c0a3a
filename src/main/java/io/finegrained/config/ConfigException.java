package io.finegrained.config;

/**
 * A configuration error the user must fix: it names the file, line, column and key path.
 * The CLI prints {@link #getMessage()} alone and exits with status 2.
 */
public final class ConfigException extends RuntimeException {
    private final Location location;
    private final String keyPath;
    private final String problem;

    public ConfigException(Location location, String keyPath, String problem) {
        super(format(location, keyPath, problem));
        this.location = location;
        this.keyPath = keyPath;
        this.problem = problem;
    }

    /** An error about the given node, named by its own location and path. */
    public static ConfigException at(ConfigNode node, String problem) {
        return new ConfigException(node.location(), node.path(), problem);
    }

    public Location location() {
        return location;
    }

    public String keyPath() {
        return keyPath;
    }

    /** The message without the location prefix. */
    public String problem() {
        return problem;
    }

    private static String format(Location location, String keyPath, String problem) {
        String where = keyPath == null || keyPath.isEmpty() ? "" : " " + keyPath + ":";
        return location + ":" + where + " " + problem;
    }
}
