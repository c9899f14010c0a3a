package io.finegrained.cli;

import io.finegrained.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code submit/finegrained}. Exit codes: 0 done, 1 a failure at run time,
 * 2 a configuration or usage error (one located message, no stack trace).
 */
@Command(name = "finegrained", mixinStandardHelpOptions = true, version = "finegrained 0.1.0",
        description = "Fine-grained neural-architecture and hyper-parameter search on Spark with DJL.",
        subcommands = {ExplainCommand.class, TrainCommand.class, SearchCommand.class, ReportCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        int code = run(args);
        // A driver in YARN's application master (cluster deploy mode) succeeds by returning: there
        // System.exit, even with 0, ends it before it reports, and YARN marks the run FAILED.
        if (code == 0 && "yarn".equals(System.getProperty("spark.master"))
                && "cluster".equalsIgnoreCase(io.finegrained.spark.ClusterResources.deployMode(null))) {
            return;
        }
        System.exit(code);
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e));
        cli.setParameterExceptionHandler((e, args1) -> {
            System.err.println("finegrained: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return EXIT_CONFIG;
        });
        return cli.execute(args);
    }

    static int report(Throwable e) {
        Throwable root = e;
        while (!(root instanceof ConfigException) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConfigException config) {
            System.err.println("configuration error: " + config.getMessage());
            return EXIT_CONFIG;
        }
        if (root instanceof UsageException usage) {
            System.err.println("finegrained: " + usage.getMessage());
            return EXIT_CONFIG;
        }
        System.err.println("finegrained: " + describe(e));
        if (System.getenv("FINEGRAINED_DEBUG") != null) {
            e.printStackTrace();
        } else {
            System.err.println("(set FINEGRAINED_DEBUG=1 for the stack trace)");
        }
        return 1;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
