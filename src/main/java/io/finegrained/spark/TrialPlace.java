package io.finegrained.spark;

import io.finegrained.search.TrialResult;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.apache.spark.SparkEnv;

/**
 * Where a trial runs, as the journal's {@code executor} field names it: {@code executor 3
 * (pid@host)} on a Spark executor, {@code driver (pid@host)} in local mode, {@code pid@host} off
 * Spark. The JVM's {@code pid@host} is what Spark's executor logs name, so a row leads to its logs.
 */
public final class TrialPlace {
    private TrialPlace() {
    }

    /** The name of the JVM this runs in. */
    public static String here() {
        String jvm = ManagementFactory.getRuntimeMXBean().getName();
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return jvm;
        }
        String id = env.executorId();
        return ("driver".equals(id) ? "driver" : "executor " + id) + " (" + jvm + ")";
    }

    /**
     * The result with when and where it ran: its own start when the trial set one (a segmented
     * trial's first segment), else {@code started}; its own resource.
     */
    public static TrialResult stamp(TrialResult result, Instant started) {
        return result.ranAt(result.resource(), result.started() != null ? result.started() : started, Instant.now(), here());
    }
}
