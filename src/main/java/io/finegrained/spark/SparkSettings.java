package io.finegrained.spark;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark} section and the session it starts.
 *
 * <pre>
 * spark:
 *   master: local[*]            # default; see below for what wins
 *   conf:                       # any Spark setting
 *     spark.ui.enabled: true
 * </pre>
 *
 * The master is, first found: {@code --master} on the command line; the one {@code spark-submit}
 * set (system property {@code spark.master}); the section's {@code master}; {@code local[*]}.
 * {@code local[*]} is one JVM: command trials run side by side on all cores, DJL trainings one at
 * a time (one training per JVM). Local masters get quiet defaults the section may override: no
 * Spark UI, driver bound to 127.0.0.1. Spark's own log lines are off on the console unless the
 * environment variable {@code FINEGRAINED_SPARK_LOG} names a level ({@code warn}, {@code info}).
 */
public record SparkSettings(String master, Map<String, String> conf) {
    public static final String DEFAULT_MASTER = "local[*]";
    public static final List<String> KEYS = List.of("master", "conf");

    public SparkSettings {
        conf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    }

    public static SparkSettings from(JobConfig config) {
        MapNode section = config.section("spark");
        section.checkKeys(KEYS, "the spark section");
        String master = section.has("master") ? section.requireString("master") : null;
        Map<String, String> conf = new LinkedHashMap<>();
        MapNode confNode = section.optMap("conf");
        for (String key : confNode.keys()) {
            if (!key.startsWith("spark.")) {
                throw new ConfigException(confNode.keyLocation(key), confNode.childPath(key),
                        "a Spark setting starts with 'spark.' (e.g. spark.ui.enabled), found '" + key + "'");
            }
            conf.put(key, Nodes.scalar(confNode.require(key)).text());
        }
        return new SparkSettings(master, conf);
    }

    /** The master to use given the command line's {@code --master} (or null). */
    public String effectiveMaster(String commandLineMaster) {
        if (commandLineMaster != null && !commandLineMaster.isBlank()) {
            return commandLineMaster;
        }
        String submitted = System.getProperty("spark.master");
        if (submitted != null && !submitted.isBlank()) {
            return submitted;
        }
        return master != null ? master : DEFAULT_MASTER;
    }

    /** Every setting the session gets: the local defaults, then the section's own. */
    public Map<String, String> effectiveConf(String master) {
        Map<String, String> all = new LinkedHashMap<>();
        if (master.startsWith("local")) {
            all.put("spark.ui.enabled", "false");
            all.put("spark.driver.host", "127.0.0.1");
            all.put("spark.driver.bindAddress", "127.0.0.1");
        }
        all.put("spark.ui.showConsoleProgress", "false"); // our own progress line says more
        all.putAll(conf);
        return all;
    }

    /**
     * Starts (or joins, in a notebook) the session. On a cluster master the executors get what
     * they need ({@link ClusterResources#applyDefaults}) and, for DJL trials, settings that would
     * let two trainings share an executor JVM are refused before anything starts.
     */
    public SparkSession start(String commandLineMaster, String appName, boolean djlTrials) {
        String master = effectiveMaster(commandLineMaster);
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName); // with spark-submit's settings
        effectiveConf(master).forEach(conf::set);
        ClusterResources.applyDefaults(conf, djlTrials);
        ClusterResources.requireOneTrainingSlot(conf, djlTrials);
        SparkSession session = SparkSession.builder().config(conf).getOrCreate();
        session.sparkContext().setLogLevel("WARN");
        quietSparkLogs();
        return session;
    }

    /** Set to a log4j level ({@code warn}, {@code info}, ...) to see Spark's own log lines again. */
    public static final String LOG_VARIABLE = "FINEGRAINED_SPARK_LOG";
    /** Spark and the libraries whose lines it brings to the driver's console. */
    static final List<String> SPARK_LOGGERS = List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop",
            "org.apache.parquet", "io.netty");

    /**
     * Spark's own log lines off (or at {@code FINEGRAINED_SPARK_LOG}'s level), set again here
     * because under a cluster's {@code spark-submit} the cluster's log4j2 configuration may win over
     * the jar's: our progress lines say what happens, Spark's would bury them.
     */
    static void quietSparkLogs() {
        String wanted = System.getenv(LOG_VARIABLE);
        org.apache.logging.log4j.Level level = wanted == null || wanted.isBlank()
                ? org.apache.logging.log4j.Level.OFF
                : org.apache.logging.log4j.Level.toLevel(wanted.trim(), org.apache.logging.log4j.Level.WARN);
        try {
            for (String logger : SPARK_LOGGERS) {
                org.apache.logging.log4j.core.config.Configurator.setLevel(logger, level);
            }
        } catch (RuntimeException | LinkageError e) {
            // log4j's API bound to another backend (a notebook's own logging): its configuration decides
        }
    }
}
