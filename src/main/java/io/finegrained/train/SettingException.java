package io.finegrained.train;

/**
 * A training or dataset setting with a value it cannot take. {@link #key()} names the setting
 * (as written in its YAML section), so a caller reading a file can point at the exact key.
 */
public final class SettingException extends IllegalArgumentException {
    private final String key;
    private final String problem;

    public SettingException(String section, String key, String problem) {
        super(section + "." + key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The message without the key in front. */
    public String problem() {
        return problem;
    }

    /** The setting's key within its section ({@code lr}, {@code batch_size}). */
    public String key() {
        return key;
    }
}
