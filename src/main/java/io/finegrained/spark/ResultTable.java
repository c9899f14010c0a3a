package io.finegrained.spark;

import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The front as a table: {@code pareto.csv} / {@code best.csv} and the console. Columns: id,
 * generation, the objectives, the other metrics, the hyper-parameters (a list as
 * {@code [0, 1, 1]}), seconds.
 */
public final class ResultTable {
    private final List<String> header;
    private final List<List<Object>> rows;

    private ResultTable(List<String> header, List<List<Object>> rows) {
        this.header = header;
        this.rows = rows;
    }

    /** The file name for this many objectives: {@code pareto.csv}, or {@code best.csv} for one. */
    public static String fileName(List<Objective> objectives) {
        return objectives.size() == 1 ? "best.csv" : "pareto.csv";
    }

    public static ResultTable of(List<TrialResult> trials, List<Objective> objectives) {
        Set<String> metricNames = new LinkedHashSet<>();
        objectives.forEach(o -> metricNames.add(o.metric()));
        Set<String> parameterNames = new LinkedHashSet<>();
        for (TrialResult t : trials) {
            metricNames.addAll(t.metrics().keySet());
            parameterNames.addAll(t.hyperparameters().keySet());
        }
        List<String> header = new ArrayList<>(List.of("id", "generation"));
        header.addAll(metricNames);
        header.addAll(parameterNames);
        header.add("seconds");
        List<List<Object>> rows = new ArrayList<>();
        for (TrialResult t : trials) {
            List<Object> row = new ArrayList<>(List.of(t.id(), t.generation()));
            metricNames.forEach(m -> row.add(t.metrics().containsKey(m) ? t.metrics().get(m) : ""));
            parameterNames.forEach(p -> row.add(t.hyperparameters().get(p)));
            row.add(Math.round(t.seconds() * 10) / 10.0);
            rows.add(row);
        }
        return new ResultTable(header, rows);
    }

    public void writeCsv(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(csvLine(header));
        rows.forEach(r -> out.append(csvLine(cells(r, true))));
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }

    /** Aligned columns, one row per line, for the console. */
    public String toText() {
        List<List<String>> text = new ArrayList<>();
        rows.forEach(r -> text.add(cells(r, false)));
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> r : text) {
                widths[c] = Math.max(widths[c], r.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendAligned(out, header, widths);
        for (List<String> r : text) {
            appendAligned(out, r, widths);
        }
        return out.toString();
    }

    private static void appendAligned(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            line.append(cells.get(c)).append(" ".repeat(widths[c] - cells.get(c).length()));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static List<String> cells(List<Object> row, boolean precise) {
        List<String> out = new ArrayList<>();
        row.forEach(v -> out.add(value(v, precise)));
        return out;
    }

    /** A number as a person reads it: whole numbers plain, others to 6 significant digits (or exact). */
    static String number(double v, boolean precise) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (precise) {
            return Double.toString(v);
        }
        String text = String.format(Locale.ROOT, "%.6g", v);
        if (text.contains("e")) {
            return text.replaceFirst("\\.?0+e", "e");
        }
        return text.contains(".") ? text.replaceFirst("\\.?0+$", "") : text;
    }

    private static String value(Object v, boolean precise) {
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(value(x, precise)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof Double d) {
            return number(d, precise);
        }
        return String.valueOf(v);
    }

    private static String csvLine(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\n");
            quoted.add(quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
        }
        return String.join(",", quoted) + "\n";
    }
}
