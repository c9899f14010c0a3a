package io.finegrained.cluster;

import io.finegrained.config.JobConfig;
import io.finegrained.config.MapNode;
import io.finegrained.search.Objective;
import io.finegrained.spark.SearchJob;
import io.finegrained.spark.SearchRun;
import io.finegrained.spark.SearchSetup;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code finegrained search CONF [--output DIR] [--master URL] [--resume]} with
 * {@link SeededWalk} standing in for the search layer's algorithms: the same {@link SearchJob}
 * the CLI runs (session, journal, resume, outputs), so the cluster tests can run before the
 * algorithms are merged. Reads {@code population}, {@code generations} and {@code seed} from
 * the {@code search_algorithm} section; the objectives are f1 and f2, both minimised.
 * Exit status: 0 done, 1 anything else (the message on stderr).
 */
public final class ClusterSearchMain {

    private ClusterSearchMain() {
    }

    public static void main(String[] args) {
        try {
            if (args.length < 2 || !args[0].equals("search")) {
                throw new IllegalArgumentException("usage: search CONF [--output DIR] [--master URL] [--resume]");
            }
            Path conf = Path.of(args[1]);
            Path output = null;
            String master = null;
            boolean resume = false;
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--output" -> output = Path.of(args[++i]);
                    case "--master" -> master = args[++i];
                    case "--resume" -> resume = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            JobConfig job = JobConfig.load(conf);
            MapNode algorithm = job.section("search_algorithm");
            int population = algorithm.optInt("population", 4);
            int generations = algorithm.optInt("generations", 3);
            long seed = algorithm.optLong("seed", 1);
            List<Objective> objectives = List.of(new Objective("f1", Objective.Direction.MIN),
                    new Objective("f2", Objective.Direction.MIN));
            SearchJob search = new SearchJob(job, config -> new SearchSetup(new SeededWalk(seed, population, generations),
                    objectives, new SearchRun.Plan(generations, population * generations)), System.out, System.err);
            search.run(new SearchJob.Options(output, master, resume));
            System.exit(0);
        } catch (Exception | Error e) {
            System.err.println("finegrained: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
