package io.finegrained.spark;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.collection.JavaConverters;

/**
 * The tasks running now in each job group, counted from Spark's listener events.
 *
 * <p>Why not the status tracker: it reads Spark's status store, which writes a live stage at most
 * every {@code spark.ui.liveUpdate.period} (100 ms) and otherwise only on a heartbeat (10 s). A
 * one-task stage whose task starts within 100 ms of its submission (the usual case once the JVM
 * is warm) shows no active task there until its task ends. Listener events are delivered
 * asynchronously but in order and unthrottled, so these counts lag only the listener bus.
 *
 * <p>One listener per SparkContext, shared by every runner on it; a group's entries go when its
 * job ends.
 */
final class RunningTasks extends SparkListener {
    private static final String JOB_GROUP = "spark.jobGroup.id";
    private static RunningTasks current;
    private static SparkContext currentContext;

    private final String groupPrefix;
    private final Map<Integer, String> groupOfStage = new ConcurrentHashMap<>();
    private final Map<Integer, int[]> stagesOfJob = new ConcurrentHashMap<>();
    private final Map<String, Integer> running = new ConcurrentHashMap<>();

    private RunningTasks(String groupPrefix) {
        this.groupPrefix = groupPrefix;
    }

    /** The listener counting the tasks of job groups named {@code groupPrefix…} on this context, registered once. */
    static synchronized RunningTasks on(SparkContext sc, String groupPrefix) {
        if (currentContext != sc) {
            current = new RunningTasks(groupPrefix);
            currentContext = sc;
            sc.addSparkListener(current);
        }
        return current;
    }

    /** Tasks of this job group that have started and not ended. */
    int running(String group) {
        return running.getOrDefault(group, 0);
    }

    @Override
    public void onJobStart(SparkListenerJobStart event) {
        Properties properties = event.properties();
        String group = properties == null ? null : properties.getProperty(JOB_GROUP);
        if (group == null || !group.startsWith(groupPrefix)) {
            return;
        }
        int[] stages = JavaConverters.seqAsJavaListConverter(event.stageIds()).asJava().stream()
                .mapToInt(id -> (Integer) id).toArray();
        for (int stage : stages) {
            groupOfStage.put(stage, group);
        }
        stagesOfJob.put(event.jobId(), stages);
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart event) {
        String group = groupOfStage.get(event.stageId());
        if (group != null) {
            running.merge(group, 1, Integer::sum);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        String group = groupOfStage.get(event.stageId());
        if (group != null) {
            running.computeIfPresent(group, (g, n) -> n > 1 ? n - 1 : null);
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd event) {
        int[] stages = stagesOfJob.remove(event.jobId());
        if (stages != null) {
            for (int stage : stages) {
                String group = groupOfStage.remove(stage);
                if (group != null) {
                    running.remove(group);
                }
            }
        }
    }
}
