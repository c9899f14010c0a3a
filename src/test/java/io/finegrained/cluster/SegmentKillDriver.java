package io.finegrained.cluster;

import io.finegrained.search.Candidate;
import io.finegrained.search.Proposal;
import io.finegrained.search.SegmentRunner;
import io.finegrained.spark.ClusterResources;
import io.finegrained.spark.Events;
import io.finegrained.spark.SparkSegmentRunner;
import io.finegrained.trial.DeviceChoice;
import io.finegrained.trial.DjlTrial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of {@link ClusterSegmentKillTest}, in a JVM of its own: one DJL trial in two
 * segments on the cluster (epoch 1, then the rest), through {@link SparkSegmentRunner}. Prints
 * {@code SECOND SEGMENT} when the second starts (the test then kills its executor) and
 * {@code RESULT <status> <resource>} at the end.
 *
 * <p>Arguments: the job file, the run directory, then Spark settings as {@code key=value}.
 */
public final class SegmentKillDriver {
    private SegmentKillDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path job = Path.of(args[0]);
        Path run = Files.createDirectories(Path.of(args[1]));
        SparkConf conf = new SparkConf().setAppName("finegrained segment kill");
        for (String setting : List.of(args).subList(2, args.length)) {
            int eq = setting.indexOf('=');
            conf.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        ClusterResources.applyDefaults(conf, true);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Path trials = Files.createDirectories(run.resolve("trials"));
        DjlTrial trial = new DjlTrial(Files.readString(job), job.toString(), trials.toString(), 600, DeviceChoice.CPU);
        try (Events events = Events.openForAppend(run.resolve(Events.FILE_NAME))) {
            SparkSegmentRunner runner = new SparkSegmentRunner(spark, trial, true, trials, events);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (runner.slots() < 1 && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("init.init_plane", 4L);
            values.put("trainer.lr", 0.05);
            Candidate candidate = new Candidate(0, 0, values);
            runner.start(candidate, 0, 1);
            SegmentRunner.Segment first = runner.next();
            System.out.println("FIRST SEGMENT " + first.result().status() + " " + first.resource());
            runner.start(candidate, first.resource(), Proposal.FULL_BUDGET);
            System.out.println("SECOND SEGMENT");
            System.out.flush();
            SegmentRunner.Segment second = runner.next();
            System.out.println("RESULT " + second.result().status() + " " + second.resource() + " " + second.result().error());
        }
        spark.stop();
    }
}
