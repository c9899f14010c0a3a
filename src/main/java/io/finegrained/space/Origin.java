package io.finegrained.space;

import io.finegrained.config.ConfigNode;
import io.finegrained.config.Location;
import java.io.Serializable;

/**
 * Where a value of a module description was written: file, line, column and its key path from
 * the document root ({@code search_space.resnet.items.stride}). Values that a composite module
 * derives from one of its own parameters keep that parameter's origin, so an error deep inside
 * an expanded network still names the key the user wrote.
 */
public record Origin(String file, int line, int column, String keyPath) implements Serializable {

    /** The origin of a loaded YAML node. */
    public static Origin of(ConfigNode node) {
        Location l = node.location();
        return new Origin(l.file(), l.line(), l.column(), node.path());
    }

    /** The same place, naming an element of the list written there ({@code items.stride[3]}). */
    public Origin element(int index) {
        return new Origin(file, line, column, keyPath + "[" + index + "]");
    }

    /** The same place under another key path (for a key nested in the value written here). */
    public Origin withPath(String path) {
        return new Origin(file, line, column, path);
    }

    public Location location() {
        return new Location(file, line, column);
    }

    @Override
    public String toString() {
        return location() + " " + keyPath;
    }
}
