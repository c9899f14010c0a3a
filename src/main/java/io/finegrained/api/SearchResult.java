package io.finegrained.api;

import io.finegrained.job.Job;
import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import io.finegrained.spark.SearchRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What a finished search produced: every trial of the run (resumed ones included) and its front,
 * as lists and as DataFrames with one row per journal row. Columns: {@code id},
 * {@code generation}, {@code status}, each metric (objectives first), each open parameter by its
 * key (a dotted key needs back-ticks in Spark SQL: {@code col("`layer.doublechannel`")}),
 * {@code error} (a failed trial's reason), {@code seconds}. A metric or parameter named like a
 * fixed column gets a prefix: the metric {@code error} is the column {@code metric_error}.
 */
public final class SearchResult {
    private final SparkSession spark;
    private final Path output;
    private final Job job;
    private final SearchRun.Summary summary;

    SearchResult(SparkSession spark, Path output, Job job, SearchRun.Summary summary) {
        this.spark = spark;
        this.output = output;
        this.job = job;
        this.summary = summary;
    }

    /** The run directory. */
    public Path output() {
        return output;
    }

    /** Every trial of the run, in id order. */
    public List<TrialResult> trialList() {
        return summary.results();
    }

    /** The Pareto front (or the best trial for one objective). */
    public List<TrialResult> frontList() {
        return summary.front();
    }

    /** The trials run in this session (0 when a finished run was reported again). */
    public int ran() {
        return summary.ran();
    }

    /** The best trial by the first objective, if any trial succeeded. */
    public Optional<TrialResult> best() {
        Objective first = job.objectives().get(0);
        return summary.front().stream().filter(r -> r.metrics().containsKey(first.metric()))
                .min(Comparator.comparingDouble(r -> first.minimised(r.metrics().get(first.metric()))));
    }

    /** The trials as a DataFrame, on the session the search ran on (or the active one). */
    public Dataset<Row> trials() {
        return frame(summary.results());
    }

    /** The front as a DataFrame, same columns as {@link #trials()}. */
    public Dataset<Row> front() {
        return frame(summary.front());
    }

    private Dataset<Row> frame(List<TrialResult> rows) {
        SparkSession session = spark != null ? spark : SparkSession.builder().getOrCreate();
        List<String> metrics = metricColumns();
        List<String> parameters = parameterColumns();
        Map<String, DataType> parameterTypes = new LinkedHashMap<>();
        for (String key : parameters) {
            parameterTypes.put(key, typeOf(key));
        }
        Set<String> taken = new LinkedHashSet<>(FIXED);
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("id", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("generation", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("status", DataTypes.StringType, false));
        for (String m : metrics) {
            fields.add(DataTypes.createStructField(column(m, "metric_", taken), DataTypes.DoubleType, true));
        }
        parameterTypes.forEach((k, t) -> fields.add(DataTypes.createStructField(column(k, "param_", taken), t, true)));
        fields.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("seconds", DataTypes.DoubleType, false));
        List<Row> out = new ArrayList<>();
        for (TrialResult r : rows) {
            List<Object> cells = new ArrayList<>();
            cells.add(r.id());
            cells.add(r.generation());
            cells.add(r.status().name());
            for (String m : metrics) {
                cells.add(r.metrics().get(m));
            }
            parameterTypes.forEach((k, t) -> cells.add(cell(r.hyperparameters().get(k), t)));
            cells.add(r.error());
            cells.add(r.seconds());
            out.add(RowFactory.create(cells.toArray()));
        }
        return session.createDataFrame(out, DataTypes.createStructType(fields));
    }

    private static final List<String> FIXED = List.of("id", "generation", "status", "error", "seconds");

    /** The name itself, or with the prefix when a fixed column or an earlier one has it (a metric named {@code error}). */
    private static String column(String name, String prefix, Set<String> taken) {
        String column = taken.contains(name) ? prefix + name : name;
        taken.add(column);
        return column;
    }

    /** Objectives first, then the other metrics in the order first reported. */
    private List<String> metricColumns() {
        Set<String> names = new LinkedHashSet<>();
        job.objectives().forEach(o -> names.add(o.metric()));
        summary.results().forEach(r -> names.addAll(r.metrics().keySet()));
        return new ArrayList<>(names);
    }

    private List<String> parameterColumns() {
        Set<String> names = new LinkedHashSet<>();
        summary.results().forEach(r -> names.addAll(r.hyperparameters().keySet()));
        return new ArrayList<>(names);
    }

    /** The narrowest column type all of a parameter's values fit: long, double, boolean, array of long, else string. */
    private DataType typeOf(String key) {
        boolean allLong = true;
        boolean allNumber = true;
        boolean allBoolean = true;
        boolean allLongList = true;
        for (TrialResult r : summary.results()) {
            Object v = r.hyperparameters().get(key);
            if (v == null) {
                continue;
            }
            boolean integral = v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
            allLong &= integral;
            allNumber &= v instanceof Number;
            allBoolean &= v instanceof Boolean;
            allLongList &= v instanceof List<?> list && list.stream().allMatch(e -> e instanceof Long || e instanceof Integer);
        }
        if (allLong) {
            return DataTypes.LongType;
        }
        if (allNumber) {
            return DataTypes.DoubleType;
        }
        if (allBoolean) {
            return DataTypes.BooleanType;
        }
        if (allLongList) {
            return DataTypes.createArrayType(DataTypes.LongType, false);
        }
        return DataTypes.StringType;
    }

    private static Object cell(Object v, DataType type) {
        if (v == null) {
            return null;
        }
        if (type == DataTypes.LongType) {
            return ((Number) v).longValue();
        }
        if (type == DataTypes.DoubleType) {
            return ((Number) v).doubleValue();
        }
        if (type == DataTypes.BooleanType) {
            return v;
        }
        if (type instanceof org.apache.spark.sql.types.ArrayType) {
            return ((List<?>) v).stream().map(e -> ((Number) e).longValue()).toList();
        }
        return String.valueOf(v);
    }
}
