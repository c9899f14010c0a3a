package io.finegrained.config;

/**
 * A place in a configuration file, 1-based, as an editor shows it.
 *
 * @param file the file as the user named it
 * @param line line number, starting at 1
 * @param column column number, starting at 1
 */
public record Location(String file, int line, int column) {

    /** A location for values that come from code or defaults, not from a file. */
    public static Location builtIn(String what) {
        return new Location(what, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
