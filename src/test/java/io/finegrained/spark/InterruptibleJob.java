package io.finegrained.spark;

import io.finegrained.config.JobConfig;
import java.nio.file.Path;

/**
 * A search job in a JVM of its own, for the test that interrupts it with a signal as Ctrl-C
 * would: {@code InterruptibleJob CONF OUTPUT}. Population 4, 3 generations, the test algorithm.
 */
public final class InterruptibleJob {
    private InterruptibleJob() {
    }

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.load(Path.of(args[0]));
        SearchJob job = new SearchJob(io.finegrained.job.Job.of(config),
                c -> new SearchSetup(new TinyAlgorithm(3, 4, 3), SearchRunTest.OBJECTIVES, new SearchRun.Plan(3, 12)),
                System.out, System.err);
        try {
            job.run(new SearchJob.Options(Path.of(args[1]), "local[2]", false));
        } catch (RunStoppedException e) {
            System.exit(1); // the job printed why
        }
    }
}
