package io.finegrained.search;

import static io.finegrained.search.Fixtures.space;
import static io.finegrained.search.Fixtures.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.space.Domain;
import io.finegrained.space.ParameterSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Same seed, same asks; a replay of the first k generations continues as the uninterrupted run. */
class DeterminismTest {
    static final ParameterSpace MIXED = space(
            "lr", new Domain.FloatRange(1e-4, 0.1, true, null),
            "x0", unit(),
            "depth", new Domain.Category(List.of(18L, 34L, 50L), null),
            "width", new Domain.IntRange(16, 64, null),
            "bn", new Domain.Bool(null),
            "code", new Domain.BinaryCode(6, null, List.of(1, 0, 1, 0, 0, 0)));
    static final List<Objective> TWO = List.of(Fixtures.min("f1"), Fixtures.min("f2"));

    /** A deterministic evaluation of any values of MIXED, failing some trials on purpose. */
    static TrialResult evaluate(int id, int generation, Map<String, Object> values) {
        Candidate c = new Candidate(id, generation, values);
        long width = ((Number) values.get("width")).longValue();
        if (width % 7 == 0) {
            return TrialResult.failed(c, "width " + width + " crashed", 1);
        }
        double lr = (Double) values.get("lr");
        double x0 = (Double) values.get("x0");
        double ones = ((List<?>) values.get("code")).stream().mapToInt(o -> ((Number) o).intValue()).sum();
        double f1 = Math.abs(Math.log10(lr) + 2) + x0 + ones / 6 + ((Number) values.get("depth")).doubleValue() / 100.0;
        double f2 = (1 - x0) + width / 64.0 + (Boolean.TRUE.equals(values.get("bn")) ? 0 : 0.3);
        return TrialResult.ok(c, Map.of("f1", f1, "f2", f2), 1);
    }

    static String settingsOf(String type) {
        return switch (type) {
            case "RandomSearch" -> "type: RandomSearch\nsamples: 30\npopulation: 6\nseed: 5\n";
            case "GridSearch" -> "type: GridSearch\ngrid_points: 3\nsamples: 30\npopulation: 6\nseed: 5\n";
            default -> "type: " + type + "\npopulation: 6\ngenerations: 5\nseed: 5\n";
        };
    }

    static List<Objective> objectivesOf(String type) {
        return type.equals("Evolution") ? List.of(Fixtures.min("f1")) : TWO;
    }

    /** Runs to the end, telling each generation's results in a shuffled order; returns all asks. */
    static List<List<Map<String, Object>>> run(SearchAlgorithm algorithm, boolean shuffle) {
        List<List<Map<String, Object>>> asks = new ArrayList<>();
        int id = 0;
        for (int g = 0; ; g++) {
            List<Map<String, Object>> asked = algorithm.ask();
            if (asked.isEmpty()) {
                return asks;
            }
            asks.add(asked);
            List<TrialResult> results = new ArrayList<>();
            for (Map<String, Object> v : asked) {
                results.add(evaluate(id++, g, v));
            }
            if (shuffle) {
                Collections.reverse(results);
                Collections.rotate(results, g + 1);
            }
            algorithm.tell(results);
        }
    }

    static SearchAlgorithm create(String type, long seed) {
        String s = settingsOf(type).replace("seed: 5", "seed: " + seed);
        return Fixtures.algorithm(Fixtures.settings(s), MIXED, objectivesOf(type), null, Constraints.none());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RandomSearch", "GridSearch", "Evolution", "NSGA2"})
    void theSameSeedAsksTheSameCandidatesWhateverTheOrderOfResults(String type) {
        List<List<Map<String, Object>>> first = run(create(type, 5), false);
        List<List<Map<String, Object>>> second = run(create(type, 5), true);
        assertEquals(first, second);
        assertEquals(30, first.stream().mapToInt(List::size).sum());
        if (!type.equals("GridSearch")) {
            assertNotEquals(first, run(create(type, 6), false), "another seed should ask otherwise");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RandomSearch", "GridSearch", "Evolution", "NSGA2"})
    void replayingTheFirstGenerationsContinuesAsTheUninterruptedRun(String type) {
        List<List<Map<String, Object>>> uninterrupted = run(create(type, 5), false);
        // The journal of the first k finished generations, as a driver would have written it
        // (values read back from JSON: integers as Integer, reals as Double).
        for (int k = 1; k < uninterrupted.size(); k++) {
            List<TrialResult> journal = new ArrayList<>();
            int id = 0;
            for (int g = 0; g < k; g++) {
                for (Map<String, Object> v : uninterrupted.get(g)) {
                    journal.add(evaluate(id++, g, asJson(v)));
                }
            }
            SearchAlgorithm resumed = create(type, 5);
            Replay.Position at = Replay.rebuild(resumed, journal);
            assertEquals(k, at.generation());
            assertEquals(uninterrupted.get(k), at.candidates());
            assertEquals(at.candidates(), at.missing());
            List<TrialResult> results = new ArrayList<>();
            for (Map<String, Object> v : at.candidates()) {
                results.add(evaluate(id++, k, v));
            }
            resumed.tell(results);
            List<List<Map<String, Object>>> rest = run(resumed, false);
            assertEquals(uninterrupted.subList(k + 1, uninterrupted.size()), rest, "after replaying " + k + " generations");
        }
    }

    @Test
    void replayStopsInsideAPartlyJournaledGeneration() {
        List<List<Map<String, Object>>> uninterrupted = run(create("NSGA2", 5), false);
        List<TrialResult> journal = new ArrayList<>();
        int id = 0;
        for (Map<String, Object> v : uninterrupted.get(0)) {
            journal.add(evaluate(id++, 0, v));
        }
        journal.add(evaluate(id, 1, uninterrupted.get(1).get(2)));
        Replay.Position at = Replay.rebuild(create("NSGA2", 5), journal);
        assertEquals(1, at.generation());
        assertEquals(1, at.journaled().size());
        assertEquals(uninterrupted.get(1).size() - 1, at.missing().size());
        assertTrue(!at.missing().contains(uninterrupted.get(1).get(2)));
    }

    @Test
    void aJournalFromAnotherSeedIsRefused() {
        List<List<Map<String, Object>>> other = run(create("NSGA2", 99), false);
        List<TrialResult> journal = new ArrayList<>();
        for (Map<String, Object> v : other.get(0)) {
            journal.add(evaluate(journal.size(), 0, v));
        }
        assertThrows(IllegalStateException.class, () -> Replay.rebuild(create("NSGA2", 5), journal));
    }

    @Test
    void askTwiceWithoutTellAndResultsNotAskedAreErrors() {
        SearchAlgorithm a = create("NSGA2", 5);
        List<Map<String, Object>> asked = a.ask();
        assertThrows(IllegalStateException.class, a::ask);
        Map<String, Object> foreign = new LinkedHashMap<>(asked.get(0));
        foreign.put("x0", 2.0);
        assertThrows(IllegalArgumentException.class, () -> a.tell(List.of(evaluate(0, 0, foreign))));
    }

    /** The values as a JSON round trip gives them back: lists of Integer, whole numbers as Integer. */
    static Map<String, Object> asJson(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v instanceof Long l) {
                out.put(k, l.intValue());
            } else if (v instanceof List<?> list) {
                out.put(k, new ArrayList<>(list));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }
}
