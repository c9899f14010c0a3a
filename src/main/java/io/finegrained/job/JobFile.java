package io.finegrained.job;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.config.Location;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.ScalarNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A job file at a path or at a URI of any Hadoop file system ({@code hdfs://nn/jobs/x.yml}), as
 * {@code search}, {@code train} and {@code explain} take it. A remote job's relative paths
 * resolve against the working directory: there is no local folder to resolve them against.
 */
public final class JobFile {
    private JobFile() {
    }

    /** Reads the job file; a location that cannot be read is a {@link ConfigException} naming it. */
    public static JobConfig read(String location) {
        URI parsed;
        try {
            parsed = URI.create(location);
        } catch (IllegalArgumentException e) {
            return JobConfig.load(Path.of(location)); // a plain path with characters a URI refuses
        }
        if (!isRemote(location)) {
            return JobConfig.load(parsed.getScheme() == null ? Path.of(location) : Path.of(parsed));
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(parsed);
        try (InputStream in = path.getFileSystem(io.finegrained.train.HadoopConf.get()).open(path)) {
            String text = io.finegrained.config.YamlLoader.readText(in, location);
            return JobConfig.parse(text, Path.of("").toAbsolutePath().resolve(path.getName()), location);
        } catch (IOException e) {
            // The first line: HDFS's RemoteException carries the NameNode's stack trace after it.
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            throw new ConfigException(Location.builtIn(location), "", "cannot read the job file: " + why);
        }
    }

    /** Whether the location is a URI of another file system than the local one. */
    public static boolean isRemote(String location) {
        try {
            String scheme = URI.create(location).getScheme();
            // One letter is a Windows drive, not a scheme.
            return scheme != null && scheme.length() > 1 && !scheme.equals("file");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * What a user must know about a job read from {@code location}: for a remote job, each
     * element of a command trial's {@code trial.command} that looks like a relative path
     * ({@code ./train.sh}, {@code scripts/train.py}, {@code train.py}). A local job resolves them
     * against its folder; a remote one cannot, so they are looked up in the driver's working
     * directory, then in the trial's. Empty for a local job.
     */
    public static List<String> notes(String location, JobConfig config) {
        List<String> notes = new ArrayList<>();
        if (!isRemote(location) || !(config.root().get("trial").orElse(null) instanceof MapNode trial)
                || !(trial.get("command").orElse(null) instanceof ListNode command)) {
            return notes;
        }
        List<ConfigNode> parts = command.items();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof ScalarNode scalar && looksLikeRelativePath(scalar.text(), i == 0)) {
                notes.add("warning: trial.command[" + i + "] '" + scalar.text() + "' is a relative path in a job file read from "
                        + location + ": it cannot resolve against the job file's folder, so it is looked up in the working directory "
                        + Path.of("").toAbsolutePath() + " and then in each trial's own; write it absolute, or use a local job file");
            }
        }
        return notes;
    }

    /** A program name alone ({@code python3}) is looked up on PATH; an option is no path. */
    static boolean looksLikeRelativePath(String part, boolean program) {
        if (part.isEmpty() || part.startsWith("-") || part.startsWith("/") || part.contains("://") || part.contains("{")) {
            return false;
        }
        if (part.contains("/")) {
            return true;
        }
        return !program && part.matches("[\\w.-]+\\.(py|sh|jar|R|jl|js|rb|pl|yml|yaml|json)");
    }
}
