package io.finegrained.spark;

import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * Run in its own JVM by {@link SparkLoggingTest}: starts a session as the job does, then writes one
 * line through a Spark logger and one through finegrained's, and prints Spark's level.
 */
public final class SparkLogProbe {
    private SparkLogProbe() {
    }

    public static void main(String[] args) {
        SparkSession session = new SparkSettings(null, Map.of()).start("local[1]", "log probe", false);
        try {
            Logger spark = LogManager.getLogger("org.apache.spark.SparkContext");
            spark.warn("probe: a Spark warning");
            LogManager.getLogger("io.finegrained.probe").warn("probe: a finegrained warning");
            System.out.println("spark level " + spark.getLevel());
        } finally {
            session.stop();
        }
    }
}
