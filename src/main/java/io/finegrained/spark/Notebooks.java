package io.finegrained.spark;

import io.finegrained.config.JobConfig;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.space.NetworkSummary;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A few one-call entry points for Scala notebooks (almond, Zeppelin): the same steps as
 * {@code finegrained explain} and {@code finegrained search}, shaped so that Scala calls them
 * without Java functional interfaces, boxed-integer lists or {@code Map<String, Object>}.
 * A search runs on the notebook's running Spark session and leaves it running.
 */
public final class Notebooks {
    private Notebooks() {
    }

    /** The job file, validated as the CLI validates it (a {@code ConfigException} names file:line:col). */
    public static JobConfig load(Path file) {
        return JobConfig.load(file);
    }

    /** The job's search space, read with the trainer's open settings allowed ({@code trainer.lr}). */
    public static SearchSpace space(JobConfig job) {
        return SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS);
    }

    /** One input sample's shape (C, H, W) of the job's dataset: [1, 28, 28] when it names none. */
    public static long[] inputShape(JobConfig job) {
        return DatasetConfig.from(job.section("dataset"), job.directory()).inputShape();
    }

    /** The network of the space's default values on the job's input shape. */
    public static NetworkSummary explain(JobConfig job) {
        return NetworkAnalyzer.analyze(space(job).defaults(), inputShape(job));
    }

    /**
     * The network the given values make (any valid dotted path, open or not, e.g.
     * {@code layer.doublechannel}) on the job's input shape; an invalid combination throws
     * {@code InvalidCandidateException} saying why.
     */
    public static NetworkSummary explain(JobConfig job, Map<String, ?> values) {
        return NetworkAnalyzer.analyze(space(job).resolve(new LinkedHashMap<>(values)), inputShape(job));
    }

    /** A binary code (or any int list) as the value of a path: {@code Notebooks.code(1, 0, 1)}. */
    public static List<Integer> code(int... bits) {
        return Arrays.stream(bits).boxed().toList();
    }

    /** The summary as a text table: top-level modules with output shape, params and MACs, and the totals. */
    public static String table(NetworkSummary summary) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"module", "type", "output shape", "params", "MACs"});
        for (NetworkSummary.Row r : summary.rows()) {
            if (r.depth() == 0) {
                lines.add(new String[] {r.name(), r.type(), Arrays.toString(r.outputShape()), number(r.params()), number(r.macs())});
            }
        }
        lines.add(new String[] {"total", "", "", number(summary.params()), number(summary.macs())});
        int[] widths = new int[5];
        for (String[] l : lines) {
            for (int i = 0; i < 5; i++) {
                widths[i] = Math.max(widths[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder("input shape " + Arrays.toString(summary.inputShape()) + " (C, H, W)\n");
        for (String[] l : lines) {
            out.append(String.format(Locale.ROOT, "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %"
                    + widths[3] + "s  %" + widths[4] + "s%n", (Object[]) l));
        }
        return out.toString();
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
