package io.finegrained.spark;

import org.apache.spark.sql.SparkSession;

/** One local Spark session for every test class in the JVM (starting one costs seconds). */
public final class TestSpark {
    private TestSpark() {
    }

    /** {@code local[2,4]}: two task slots, and up to four attempts per task as on a cluster. */
    public static synchronized SparkSession session() {
        SparkSession spark = SparkSession.builder().master("local[2,4]").appName("finegrained tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }
}
