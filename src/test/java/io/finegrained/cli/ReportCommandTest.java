package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code finegrained report DIR}: the report's path on stdout, a folder that is no run refused with exit 2. */
class ReportCommandTest {

    @Test
    void writesTheReportAndPrintsItsPath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.yml"), """
                search_algorithm: {type: RandomSearch, samples: 2, seed: 1}
                search_space:
                  hyper_parameters:
                    x: {type: FLOAT, range: [0, 1]}
                trial: {type: command, command: [python3, x.py]}
                objectives: {f: min}
                """);
        Files.writeString(dir.resolve("trials.jsonl"),
                "{\"id\":0,\"generation\":0,\"status\":\"OK\",\"hyperparameters\":{\"x\":0.25},\"metrics\":{\"f\":0.5},\"error\":null,\"seconds\":1.0}\n"
                + "{\"id\":1,\"generation\":0,\"status\":\"FAILED\",\"hyperparameters\":{\"x\":0.75},\"metrics\":{},\"error\":\"exit 3\",\"seconds\":0.5}\n");
        String[] r = ExplainCommandTest.run("report", dir.toString());
        assertEquals("0", r[0], r[2]);
        Path report = dir.resolve("report.html");
        assertEquals(report.toString(), r[1].strip());
        String html = Files.readString(report);
        assertTrue(html.contains("2 trials: 1 OK, 1 failed"), html);
        assertTrue(html.contains("exit 3"));
    }

    @Test
    void aFolderWithoutJournalIsRefused(@TempDir Path dir) {
        String[] r = ExplainCommandTest.run("report", dir.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("is not a run directory of finegrained (no trials.jsonl)"), r[2]);
        assertFalse(Files.exists(dir.resolve("report.html")), "nothing written");
        String[] missing = ExplainCommandTest.run("report", dir.resolve("nope").toString());
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("is not a directory"), missing[2]);
    }
}
