package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontAndTableTest {
    static final List<Objective> ACC_MACS = List.of(new Objective("accuracy", Objective.Direction.MAX),
            new Objective("macs", Objective.Direction.MIN));

    static TrialResult ok(int id, double accuracy, double macs) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("code", List.of(1, 0, id % 2));
        values.put("name", "a,b");
        return TrialResult.ok(new Candidate(id, id / 3, values), Map.of("accuracy", accuracy, "macs", macs), 2.04);
    }

    @Test
    void theFrontKeepsTheNonDominatedOkTrialsBestFirst() {
        List<TrialResult> trials = List.of(ok(0, 0.80, 100), ok(1, 0.90, 300), ok(2, 0.85, 300), ok(3, 0.70, 50),
                ok(4, 0.80, 100), TrialResult.failed(new Candidate(5, 1, Map.of()), "boom", 1));
        List<TrialResult> front = Front.of(trials, ACC_MACS);
        assertEquals(List.of(1, 0, 4, 3), front.stream().map(TrialResult::id).toList(), "2 is dominated by 1; 0 and 4 tie");
        List<TrialResult> best = Front.of(trials, List.of(new Objective("macs", Objective.Direction.MIN)));
        assertEquals(List.of(3), best.stream().map(TrialResult::id).toList());
    }

    @Test
    void theTableWritesCsvAndAlignedText(@TempDir Path tmp) throws Exception {
        ResultTable table = ResultTable.of(List.of(ok(1, 0.9012345678, 300), ok(3, 0.7, 50)), ACC_MACS);
        table.writeCsv(tmp.resolve("pareto.csv"));
        assertEquals(List.of("id,generation,accuracy,macs,code,name,seconds",
                "1,0,0.9012345678,300,\"[1, 0, 1]\",\"a,b\",2",
                "3,1,0.7,50,\"[1, 0, 1]\",\"a,b\",2"), Files.readAllLines(tmp.resolve("pareto.csv")));
        assertEquals("id  generation  accuracy  macs  code       name  seconds\n"
                + "1   0           0.901235  300   [1, 0, 1]  a,b   2\n"
                + "3   1           0.7       50    [1, 0, 1]  a,b   2\n", table.toText());
        assertEquals("pareto.csv", ResultTable.fileName(ACC_MACS));
        assertEquals("best.csv", ResultTable.fileName(ACC_MACS.subList(0, 1)));
    }

    @Test
    void numbersReadNaturally() {
        assertEquals("1.5e-07", ResultTable.number(1.5e-7, false));
        assertEquals("0.5", ResultTable.number(0.5, false));
        assertEquals("123.457", ResultTable.number(123.4567, false));
        assertEquals("272474", ResultTable.number(272474, false));
        assertEquals("0.30000000000000004", ResultTable.number(0.1 + 0.2, true));
    }

    @Test
    void theProgressLineSaysWhereTheRunIs() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(out, true), ACC_MACS, 4, 12);
        progress.replayed(ok(0, 0.8, 100));
        progress.startGeneration(1, 3, 1, 0);
        assertEquals("generation 2/4 · 2 candidates", progress.describeGeneration(2));
        progress.finished(ok(4, 0.9, 300));
        progress.finished(TrialResult.failed(new Candidate(5, 1, Map.of()), "exit code 1; stderr: " + "x".repeat(200), 0.25));
        String[] lines = out.toString().split("\n");
        assertTrue(lines[0].matches("\\[gen 2/4] 2/3 done · total 2/12 · best accuracy 0\\.9, macs 100 \\(front 2\\) · 0:00, ETA 0:\\d\\d · #4 OK 2\\.0 s"), lines[0]);
        assertTrue(lines[1].startsWith("[gen 2/4] 3/3 done, 1 failed · total 3/12"), lines[1]);
        assertTrue(lines[1].endsWith("#5 FAILED 0.3 s: exit code 1; stderr: " + "x".repeat(69) + "..."), lines[1]);
        assertEquals("1:01:05", Progress.clock(3665));
    }
}
