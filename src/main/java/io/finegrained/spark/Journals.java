package io.finegrained.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run's journal as a Spark DataFrame, for notebooks and ad-hoc analysis:
 * {@code Journals.asDataFrame(spark, Path.of("runs/x")).where("status = 'OK'").orderBy("metrics.f1")}.
 * Columns: {@code id, generation, status, hyperparameters (struct), metrics (struct), error,
 * seconds}, and in journals that have them {@code resource, started, finished, executor}. A torn
 * last line (a killed run) is dropped, as the driver drops it. {@link #eventsAsDataFrame} reads
 * the run's {@code events.jsonl} (per-rung metrics of an asynchronous run) the same way.
 */
public final class Journals {
    private Journals() {
    }

    /** @param runOrJournal a run directory or its {@code trials.jsonl} */
    public static Dataset<Row> asDataFrame(SparkSession spark, Path runOrJournal) {
        Path file = Files.isDirectory(runOrJournal) ? runOrJournal.resolve(Journal.FILE_NAME) : runOrJournal;
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no journal at " + file);
        }
        return spark.read().option("mode", "DROPMALFORMED").json(file.toAbsolutePath().toString());
    }

    /**
     * A run's journal anywhere Spark can read: {@code location} is a run directory or its
     * {@code trials.jsonl}, as a path or a URI ({@code hdfs://nn:8020/runs/x}).
     */
    public static Dataset<Row> asDataFrame(SparkSession spark, String location) {
        if (!RunStore.isRemote(location)) {
            return asDataFrame(spark, RunStore.of(location).localPath());
        }
        String file = location.endsWith(".jsonl") ? location : location.replaceAll("/+$", "") + "/" + Journal.FILE_NAME;
        return spark.read().option("mode", "DROPMALFORMED").json(file);
    }

    /** The run's events ({@code seq, time, event, id, resource, to, metrics (struct), detail}), in file order. */
    public static Dataset<Row> eventsAsDataFrame(SparkSession spark, Path run) {
        Path file = run.resolve(Events.FILE_NAME);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no events at " + file);
        }
        return spark.read().option("mode", "DROPMALFORMED").json(file.toAbsolutePath().toString()).orderBy("seq");
    }
}
