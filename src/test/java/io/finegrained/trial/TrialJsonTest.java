package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialJsonTest {
    private static Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("layer.doublechannel", List.of(0, 1, 1, 0));
        values.put("trainer.lr", 0.05);
        values.put("depth", 34L);
        values.put("opt", "sgd");
        return values;
    }

    @Test
    void anOkRowHasEveryFieldInTheContractsOrder() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.861);
        metrics.put("macs", 96310272.0);
        String row = TrialJson.row(TrialResult.ok(new Candidate(17, 1, values()), metrics, 42.7));
        assertEquals("{\"id\":17,\"generation\":1,\"status\":\"OK\",\"hyperparameters\":{\"layer.doublechannel\":[0,1,1,0],"
                + "\"trainer.lr\":0.05,\"depth\":34,\"opt\":\"sgd\"},\"metrics\":{\"accuracy\":0.861,\"macs\":96310272},"
                + "\"error\":null,\"seconds\":42.7,\"resource\":null,\"started\":null,\"finished\":null,\"executor\":null}", row);
    }

    @Test
    void whereAndWhenATrialRanIsWrittenAndReadBack() {
        java.time.Instant started = java.time.Instant.parse("2026-12-01T22:30:01.250Z");
        java.time.Instant finished = started.plusMillis(4_321);
        TrialResult stopped = TrialResult.stopped(new Candidate(4, 2, values()), Map.of("accuracy", 0.5), 4.3, 3)
                .ranAt(3, started, finished, "executor 1 (123@host)");
        String row = TrialJson.row(stopped);
        assertTrue(row.endsWith("\"seconds\":4.3,\"resource\":3,\"started\":\"2026-12-01T22:30:01.250Z\","
                + "\"finished\":\"2026-12-01T22:30:05.571Z\",\"executor\":\"executor 1 (123@host)\"}"), row);
        TrialResult back = TrialJson.parseRow(row);
        assertEquals(TrialStatus.STOPPED, back.status());
        assertEquals(Map.of("accuracy", 0.5), back.metrics());
        assertEquals(3, back.resource());
        assertEquals(started, back.started());
        assertEquals(finished, back.finished());
        assertEquals("executor 1 (123@host)", back.executor());
    }

    @Test
    void rowsOfOlderJournalsWithoutThoseFieldsStillRead() {
        TrialResult old = TrialJson.parseRow("{\"id\":1,\"generation\":0,\"status\":\"OK\",\"hyperparameters\":{\"x\":1},"
                + "\"metrics\":{\"f1\":2},\"error\":null,\"seconds\":1.5}");
        assertEquals(0, old.resource());
        assertNull(old.started());
        assertNull(old.finished());
        assertNull(old.executor());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrialJson.parseRow(
                "{\"id\":1,\"generation\":0,\"status\":\"OK\",\"hyperparameters\":{},\"metrics\":{},\"error\":null,"
                        + "\"seconds\":1.5,\"started\":\"yesterday\"}"));
        assertTrue(e.getMessage().startsWith("started is not an ISO-8601"), e.getMessage());
    }

    @Test
    void aFailedRowHasEmptyMetricsAndItsError() {
        String row = TrialJson.row(TrialResult.failed(new Candidate(2, 0, values()), "exit code 1", 0.5));
        assertTrue(row.contains("\"status\":\"FAILED\""), row);
        assertTrue(row.contains("\"metrics\":{},\"error\":\"exit code 1\""), row);
    }

    @Test
    void rowsReadBackAsTheyWereWritten() {
        TrialResult original = TrialResult.ok(new Candidate(5, 3, values()), Map.of("f1", 0.1 + 0.2, "params", 272474.0), 1.25);
        TrialResult back = TrialJson.parseRow(TrialJson.row(original));
        assertEquals(original.id(), back.id());
        assertEquals(original.generation(), back.generation());
        assertEquals(original.metrics(), back.metrics());
        assertEquals(List.of(0, 1, 1, 0), back.hyperparameters().get("layer.doublechannel"));
        assertEquals(0.05, back.hyperparameters().get("trainer.lr"));
        assertEquals(34L, back.hyperparameters().get("depth"));
        assertEquals(1.25, back.seconds());
        assertNull(back.error());
    }

    @Test
    void aDamagedRowSaysWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrialJson.parseRow("{\"id\": 1, \"generation\": 0, \"status\": \"OK\", \"metrics\": {}, \"error\": null, \"seconds\": 1}"));
        assertEquals("no field 'hyperparameters'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrialJson.parseRow("{\"id\": 1, "));
    }

    @Test
    void theCandidateJsonHasIdGenerationAndValues() {
        assertEquals("{\"id\":9,\"generation\":0,\"hyperparameters\":{\"x\":0.5,\"bits\":[1,0]}}",
                TrialJson.candidate(new Candidate(9, 0, new LinkedHashMap<>(Map.of("x", 0.5)) {{ put("bits", List.of(1, 0)); }})));
    }

    @Test
    void aMetricsLineKeepsNumbersOnly() {
        assertEquals(Map.of("f1", 0.5, "n", 3.0), TrialJson.metricsLine("  {\"f1\": 0.5, \"n\": 3, \"tag\": \"a\", \"ok\": true}"));
        assertNull(TrialJson.metricsLine("epoch 3 {loss: 0.2}"));
        assertNull(TrialJson.metricsLine("{\"f1\": 0.5"));
        assertNull(TrialJson.metricsLine("[1, 2]"));
    }
}
