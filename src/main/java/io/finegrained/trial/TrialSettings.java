package io.finegrained.trial;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.JobConfig;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code trial} section: how each candidate is evaluated.
 *
 * <pre>
 * trial:
 *   type: command             # or djl, the default: build the network and train it with DJL
 *   command: [python3, train.py, --fast]   # command trials only; started without a shell
 *   timeout_s: 600            # wall-time limit of one trial (default 3600)
 *   failure_threshold: 0.5    # stop the run when more than this fraction of a generation fails
 *   return_files_max_mb: 16   # the most of one trial's files that come back to the driver when its
 *                             # executor cannot see the run directory (default 16; 0: none)
 * </pre>
 *
 * @param command the command with relative paths resolved against the config file's folder
 *                (empty for DJL trials)
 * @param returnFilesMaxBytes {@code return_files_max_mb} in bytes (see {@link TrialFiles})
 */
public record TrialSettings(Type type, List<String> command, double timeoutSeconds, double failureThreshold,
                            long returnFilesMaxBytes) {

    public static final List<String> KEYS = List.of("type", "command", "timeout_s", "failure_threshold", "return_files_max_mb");
    /** The largest {@code return_files_max_mb}: a task's result must stay well inside Spark's 2 GB limit. */
    public static final double MAX_RETURN_MB = 1024;
    public static final double DEFAULT_TIMEOUT_S = 3600;
    public static final double DEFAULT_FAILURE_THRESHOLD = 0.5;

    /** Where a candidate is evaluated. */
    public enum Type {
        /** Build the candidate's network and train it with DJL (the default). */
        DJL,
        /** Run an external program per candidate. */
        COMMAND
    }

    public TrialSettings {
        command = List.copyOf(command);
    }

    public static TrialSettings from(JobConfig config) {
        MapNode section = config.section("trial");
        section.checkKeys(KEYS, "the trial section");
        String typeName = section.optString("type", "djl").toLowerCase(Locale.ROOT);
        Type type = switch (typeName) {
            case "djl" -> Type.DJL;
            case "command" -> Type.COMMAND;
            default -> throw ConfigException.at(section.require("type"),
                    "unknown trial type '" + typeName + "' (known: djl, the default, and command)");
        };
        double timeout = section.optDouble("timeout_s", DEFAULT_TIMEOUT_S);
        if (!(timeout > 0)) {
            throw ConfigException.at(section.require("timeout_s"), "the time-out must be a positive number of seconds");
        }
        double threshold = section.optDouble("failure_threshold", DEFAULT_FAILURE_THRESHOLD);
        if (!(threshold > 0 && threshold <= 1)) {
            throw ConfigException.at(section.require("failure_threshold"),
                    "the failure threshold is a fraction of a generation in (0, 1], got " + threshold);
        }
        double returnMb = section.optDouble("return_files_max_mb", TrialFiles.DEFAULT_RETURN_MB);
        if (!(returnMb >= 0 && returnMb <= MAX_RETURN_MB)) {
            throw ConfigException.at(section.require("return_files_max_mb"),
                    "the most of one trial's files returned to the driver, in megabytes, from 0 (none) to "
                            + (long) MAX_RETURN_MB + ", got " + returnMb);
        }
        List<String> command = List.of();
        if (type == Type.COMMAND) {
            command = CommandTrial.resolve(commandList(section), config.directory());
        } else if (section.has("command")) {
            throw ConfigException.at(section.require("command"), "'command' belongs to a command trial: add 'type: command'");
        }
        return new TrialSettings(type, command, timeout, threshold, Math.round(returnMb * (1 << 20)));
    }

    private static List<String> commandList(MapNode section) {
        if (!section.has("command")) {
            throw new ConfigException(section.location(), section.childPath("command"),
                    "a command trial needs 'command', the program and its arguments as a list, e.g. [python3, train.py]");
        }
        ConfigNode node = section.require("command");
        if (!(node instanceof ListNode list)) {
            throw ConfigException.at(node, "'command' is a list (the program, then its arguments), found "
                    + node.describe() + "; it is run without a shell");
        }
        if (list.size() == 0) {
            throw ConfigException.at(list, "'command' needs at least the program to run");
        }
        List<String> parts = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            parts.add(Nodes.scalar(item).text());
        }
        return parts;
    }

    /** The runner for this section; {@code trialsDirectory} holds the per-trial working folders. */
    public TrialRunner commandRunner(Path trialsDirectory) {
        return commandRunner(TrialFiles.Destination.direct(trialsDirectory.toAbsolutePath().toString()));
    }

    /** The runner for this section, its files placed by {@code files} (a run's: {@link TrialFiles.Destination#create}). */
    public TrialRunner commandRunner(TrialFiles.Destination files) {
        if (type != Type.COMMAND) {
            throw new IllegalStateException("not a command trial");
        }
        return new CommandTrial(command, timeoutSeconds, files, CommandTrial.DEFAULT_LOG_LIMIT);
    }
}
