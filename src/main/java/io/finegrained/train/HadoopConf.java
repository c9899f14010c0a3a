package io.finegrained.train;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop configuration data and models are read and written with, built the way Spark users
 * expect it to be: Hadoop's own files on the classpath ({@code core-site.xml}, {@code
 * hdfs-site.xml}), those in {@code $HADOOP_CONF_DIR} (added explicitly: the launcher does not put
 * that folder on the classpath as {@code spark-submit} does), then every {@code spark.hadoop.K=V}
 * as {@code K=V}: from the system properties (what {@code spark-submit --conf} and
 * {@code spark-defaults.conf} become on the driver) and from the settings the Spark layer hands
 * over ({@link #useSparkSettings}: the SparkConf an executor got from its driver, the job file's
 * {@code spark.conf}). Thread-safe; a new configuration each call (a {@link Configuration} is
 * mutable), cheap after the first.
 */
public final class HadoopConf {
    private static final String PREFIX = "spark.hadoop.";
    private static final Map<String, String> SETTINGS = new TreeMap<>();

    private HadoopConf() {
    }

    /** Adds the {@code spark.hadoop.*} entries of a Spark configuration (other keys are ignored). */
    public static synchronized void useSparkSettings(Map<String, String> sparkConf) {
        sparkConf.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && k.length() > PREFIX.length()) {
                SETTINGS.put(k.substring(PREFIX.length()), v);
            }
        });
    }

    /** A fresh configuration with every source above applied, later ones winning. */
    public static synchronized Configuration get() {
        Configuration conf = new Configuration();
        String dir = System.getenv("HADOOP_CONF_DIR");
        if (dir != null && !dir.isBlank()) {
            for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                File file = new File(dir, name);
                if (file.isFile()) {
                    conf.addResource(new org.apache.hadoop.fs.Path(file.toURI()));
                }
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
                conf.set(key.substring(PREFIX.length()), System.getProperty(key));
            }
        }
        SETTINGS.forEach(conf::set);
        return conf;
    }
}
