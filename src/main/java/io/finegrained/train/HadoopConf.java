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
 * {@code spark.conf}). Thread-safe. One shared configuration, built again only when the
 * settings change: a fresh {@link Configuration} parses Hadoop's XML defaults on first use,
 * milliseconds that add up to minutes over the files of an image folder. Callers only read it.
 */
public final class HadoopConf {
    private static final String PREFIX = "spark.hadoop.";
    private static final Map<String, String> SETTINGS = new TreeMap<>();
    private static Configuration shared;

    private HadoopConf() {
    }

    /** Adds the {@code spark.hadoop.*} entries of a Spark configuration (other keys are ignored). */
    public static synchronized void useSparkSettings(Map<String, String> sparkConf) {
        sparkConf.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && k.length() > PREFIX.length() && !v.equals(SETTINGS.put(k.substring(PREFIX.length()), v))) {
                shared = null;
            }
        });
    }

    /** The configuration with every source above applied, later ones winning; not to be modified. */
    public static synchronized Configuration get() {
        if (shared == null) {
            shared = build();
        }
        return shared;
    }

    private static Configuration build() {
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
