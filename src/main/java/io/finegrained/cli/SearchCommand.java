package io.finegrained.cli;

import io.finegrained.api.Search;
import io.finegrained.spark.RunRefusedException;
import io.finegrained.spark.RunStoppedException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finegrained search CONF [--output DIR] [--master URL] [--resume]}: the search job
 * (see docs/search-job.md). Exit codes: 0 done (or a finished run re-reported), 1 stopped or
 * failed at run time, 2 a configuration error or a refused run directory.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Runs the search job on Spark: each generation's candidates become Spark tasks, "
                + "each result is journaled as it arrives, and the Pareto front (or the best trial) is printed at the end.")
public final class SearchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONF",
            description = "The job file (YAML): a path or a URI of any Hadoop file system (hdfs://namenode:8020/jobs/x.yml).")
    String config;

    @Option(names = "--output", paramLabel = "DIR",
            description = "The run directory: a path or a URI (hdfs://namenode:8020/runs/x, s3a://bucket/runs/x) "
                    + "(default: runs/<config name>-<UTC timestamp>; with --resume, the newest such run).")
    String output;

    @Option(names = "--master", paramLabel = "URL",
            description = "The Spark master, e.g. local[2], local-cluster[2,1,2048], spark://host:7077 "
                    + "(default: the spark section's master, else local[*]).")
    String master;

    @Option(names = "--resume", description = "Continue the run in the directory from its journal; "
            + "a finished run is reported again, an empty or missing directory starts fresh.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Search search = Search.fromUri(config).resume(resume).master(master);
        try {
            (output == null ? search : search.output(output)).run();
            return 0;
        } catch (RunRefusedException e) {
            System.err.println("finegrained: " + e.getMessage());
            return Main.EXIT_CONFIG;
        } catch (RunStoppedException e) {
            return e.userError() ? Main.EXIT_CONFIG : 1; // the job printed why
        }
    }
}
