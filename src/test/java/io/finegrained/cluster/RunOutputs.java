package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.TrialResult;
import io.finegrained.spark.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a finished search run wrote, read back so that two runs of one job can be compared with
 * {@code assertEquals}: the journal and the front, each without what measures time (which
 * differs from run to run).
 */
final class RunOutputs {

    private RunOutputs() {
    }

    /**
     * The run's journal by trial id: generation, status, values and the metrics not named in
     * {@code timeMetrics}; the row's {@code seconds} always left out. Fails if an id is
     * journaled twice.
     */
    static Map<Integer, List<Object>> outcomes(Path run, Collection<String> timeMetrics) {
        Map<Integer, List<Object>> byId = new TreeMap<>();
        for (TrialResult r : Journal.read(run.resolve(Journal.FILE_NAME))) {
            Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
            metrics.keySet().removeAll(timeMetrics);
            List<Object> previous = byId.put(r.id(), List.of(r.generation(), r.status(), r.hyperparameters(), metrics));
            assertEquals(null, previous, "trial " + r.id() + " is journaled once in " + run);
        }
        return byId;
    }

    /**
     * The run's {@code pareto.csv} as rows of cells, without the columns named in
     * {@code timeColumns} (each must be in the header).
     */
    static List<List<String>> front(Path run, Collection<String> timeColumns) {
        List<String> lines;
        try {
            lines = Files.readAllLines(run.resolve("pareto.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> header = csvCells(lines.get(0));
        assertTrue(header.containsAll(timeColumns), "pareto.csv has the columns " + timeColumns + ": " + header);
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = csvCells(line);
            assertEquals(header.size(), cells.size(), "a cell per column: " + line);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                if (!timeColumns.contains(header.get(i))) {
                    kept.add(cells.get(i));
                }
            }
            rows.add(kept);
        }
        return rows;
    }

    /** One CSV line's cells; a quoted cell may hold commas (a binary code: {@code "[0, 1, 1]"}) and doubled quotes. */
    static List<String> csvCells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
