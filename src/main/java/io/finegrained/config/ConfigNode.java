package io.finegrained.config;

/**
 * One node of a loaded YAML document, immutable, with the place it was written and its key
 * path from the document root ({@code search_space.resnet.items.stride[3]}).
 */
public sealed interface ConfigNode permits MapNode, ListNode, ScalarNode {

    Location location();

    String path();

    /** A short description of the node's kind for error messages ("a map", "a list", "the number 3"). */
    String describe();

    /** Converts to plain Java values: {@code Map}, {@code List}, {@code Long}, {@code Double}, {@code String}, {@code Boolean}, or null. */
    Object toPlain();

    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
