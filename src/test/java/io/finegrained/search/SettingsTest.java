package io.finegrained.search;

import static io.finegrained.search.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.config.MapNode;
import io.finegrained.search.algorithms.GeneticSettings;
import io.finegrained.search.algorithms.QuantEA;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The search_algorithm section as the providers read it, Objectives and Constraints: what each reads and how each refuses. */
class SettingsTest {
    private static final List<Objective> ACC = List.of(Fixtures.max("accuracy"));

    /** The searcher a section makes over ten integers. */
    private static AlgorithmProvider provider(String name) {
        return Algorithms.standard().find(name);
    }

    private static Searcher searcher(String section) {
        return Algorithms.standard().create(yaml(section), new SearchProblem(
                Fixtures.space("x", new io.finegrained.space.Domain.IntRange(0, 9, null)), ACC, null, Constraints.none()));
    }

    /** The generational keys of a section, after its keys were checked against its provider. */
    private static GeneticSettings genetic(String section) {
        Algorithms.standard().select(yaml(section));
        return GeneticSettings.read(new AlgorithmSection(yaml(section)));
    }

    @Test
    void anEmptySectionIsNsga2WithEveryDefault() {
        assertEquals("NSGA2", Algorithms.standard().select(yaml("{}")).name());
        GeneticSettings s = genetic("{}");
        assertEquals(20 * 10, s.budget());
        assertEquals(10, s.survivors());
        assertEquals(0, s.seed());
        assertEquals(List.of(4, 8), QuantEA.bitCandidates(new AlgorithmSection(yaml("type: QuantEA\n"))));
    }

    @Test
    void everyBuiltInIsAProviderFoundByServiceLoader() {
        assertEquals(List.of("NSGA2", "Evolution", "BackboneNas", "QuantEA", "PruneEA", "RandomSearch", "GridSearch",
                "AsyncNSGA2", "AgingEvolution", "AsyncRandomSearch"),
                Algorithms.standard().names());
    }

    @Test
    void budgetIsPopulationTimesGenerationsOrSamples() {
        assertEquals(800, searcher("type: NSGA2\npopulation: 40\ngenerations: 20\nseed: 1\n").budget());
        assertEquals(20, searcher("type: NSGA2\npopulation: 40\ngenerations: 20\nseed: 1\n").plannedBatches());
        assertEquals(37, searcher("type: RandomSearch\nsamples: 37\n").budget());
        assertEquals(100, searcher("type: RandomSearch\n").budget());
        assertEquals(5, searcher("type: GridSearch\nsamples: 5\n").budget());
        assertEquals(10, searcher("type: GridSearch\n").budget());
    }

    @Test
    void theSeedsAliasAndAnyLetterCaseNameTheirAlgorithm() {
        assertEquals("BackboneNas", Algorithms.standard().select(yaml("type: BackboneNasSearch\n")).name());
        assertEquals("QuantEA", Algorithms.standard().select(yaml("type: quantea\n")).name());
    }

    @Test
    void anUnknownTypeIsLocatedAndSuggestsTheClosest() {
        ConfigException e = assertThrows(ConfigException.class, () -> Algorithms.standard().select(yaml("seed: 1\ntype: NSGA\n")));
        assertEquals(2, e.location().line());
        assertEquals("type", e.keyPath());
        assertTrue(e.getMessage().contains("did you mean 'NSGA2'"), e.getMessage());
    }

    @Test
    void aBudgetOfZeroIsRefusedAtItsKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> searcher("type: NSGA2\npopulation: 40\ngenerations: 0\n"));
        assertEquals("job.yml:3:14: generations: generations must be at least 1, got 0 (a budget of zero trials runs nothing)", e.getMessage());
        assertThrows(ConfigException.class, () -> searcher("type: RandomSearch\nsamples: 0\n"));
        assertThrows(ConfigException.class, () -> searcher("type: Evolution\npopulation: 0\n"));
    }

    @Test
    void budgetsOverTheCapsAreRefusedSayingTheCapAndWhy() {
        ConfigException e = assertThrows(ConfigException.class, () -> searcher("type: NSGA2\npopulation: 1000000000\n"));
        assertEquals("population", e.keyPath());
        assertEquals("population is at most 100000, got 1000000000: a generation is held on the driver and sent as one Spark job",
                e.problem());
        e = assertThrows(ConfigException.class, () -> searcher("type: NSGA2\npopulation: 100000\ngenerations: 1000\n"));
        assertEquals("generations", e.keyPath());
        assertTrue(e.problem().startsWith("population × generations = 100000000 trials, more than 10000000"), e.problem());
        e = assertThrows(ConfigException.class, () -> searcher("type: RandomSearch\nsamples: 99999999999\n"));
        assertEquals("samples", e.keyPath());
        assertTrue(e.problem().contains("at most 10000000"), e.problem());
    }

    @Test
    void keysOfAnotherAlgorithmAreRefusedWithWhy() {
        ConfigException e = assertThrows(ConfigException.class, () -> searcher("type: NSGA2\nsamples: 10\n"));
        assertEquals("samples", e.keyPath());
        assertEquals("'samples' does not apply to NSGA2; its budget is population × generations (it applies to RandomSearch, GridSearch, AsyncNSGA2, AgingEvolution, AsyncRandomSearch)",
                e.problem());
        e = assertThrows(ConfigException.class, () -> searcher("type: RandomSearch\ngenerations: 3\n"));
        assertTrue(e.problem().contains("random and grid search take samples"), e.problem());
        e = assertThrows(ConfigException.class, () -> searcher("type: NSGA2\nbit_candidates: [2, 4]\n"));
        assertTrue(e.problem().contains("applies to QuantEA"), e.problem());
        e = assertThrows(ConfigException.class, () -> searcher("type: NSGA2\npopulaton: 4\n"));
        assertTrue(e.problem().contains("did you mean 'population'"), e.problem());
    }

    @Test
    void operatorSettingsAreChecked() {
        GeneticSettings s = genetic("type: Evolution\ncrossover_prob: 0.5\neta_crossover: 3\neta_mutation: 7\nmutation_rate: 0.25\n"
                + "tournament_size: 4\nsurvivors: 3\n");
        assertEquals(0.5, s.crossoverProbability());
        assertEquals(3, s.etaCrossover());
        assertEquals(7, s.etaMutation());
        assertEquals(0.25, s.mutationRate());
        assertEquals(3, s.survivors());
        assertThrows(ConfigException.class, () -> searcher("type: Evolution\ntournament_size: 0\n"));
        assertThrows(ConfigException.class, () -> searcher("type: NSGA2\ncrossover_prob: 1.5\n"));
        assertThrows(ConfigException.class, () -> searcher("type: NSGA2\nmutation_rate: 0\n"));
        assertThrows(ConfigException.class, () -> searcher("type: NSGA2\neta_mutation: -1\n"));
    }

    @Test
    void bitCandidatesAreSortedAndChecked() {
        assertEquals(List.of(2, 4, 8), QuantEA.bitCandidates(new AlgorithmSection(yaml("type: QuantEA\nbit_candidates: [8, 2, 4]\n"))));
        ConfigException e = assertThrows(ConfigException.class,
                () -> QuantEA.bitCandidates(new AlgorithmSection(yaml("type: QuantEA\nbit_candidates: [4, 4]\n"))));
        assertEquals("bit_candidates[1]", e.keyPath());
        assertThrows(ConfigException.class, () -> QuantEA.bitCandidates(new AlgorithmSection(yaml("bit_candidates: [0, 8]\n"))));
        assertThrows(ConfigException.class, () -> QuantEA.bitCandidates(new AlgorithmSection(yaml("bit_candidates: []\n"))));
    }

    // ------------------------------------------------------------------------- objectives

    @Test
    void objectivesAreReadInFileOrder() {
        List<Objective> o = Objectives.from(yaml("accuracy: max\nmacs: MIN\nlatency_ms: minimize\n"), provider("NSGA2"));
        assertEquals(List.of(Fixtures.max("accuracy"), Fixtures.min("macs"), Fixtures.min("latency_ms")), o);
    }

    @Test
    void anEmptySectionGivesTheAlgorithmsDefaults() {
        MapNode empty = yaml("{}");
        assertEquals(List.of(Fixtures.max("accuracy"), Fixtures.min("macs")), Objectives.from(empty, provider("BackboneNasSearch")));
        assertEquals(List.of(Fixtures.max("accuracy"), Fixtures.min("macs")), Objectives.from(empty, provider("PruneEA")));
        assertEquals(List.of(Fixtures.max("accuracy"), Fixtures.min("bitops")), Objectives.from(empty, provider("QuantEA")));
        assertEquals(List.of(Fixtures.max("accuracy")), Objectives.from(empty, provider("NSGA2")));
    }

    @Test
    void aBadDirectionAndSeveralObjectivesForEvolutionAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> Objectives.from(yaml("accuracy: up\n"), provider("NSGA2")));
        assertEquals("accuracy", e.keyPath());
        e = assertThrows(ConfigException.class, () -> Algorithms.standard().create(yaml("type: Evolution\n"), new SearchProblem(
                Fixtures.space("x", Fixtures.unit()), List.of(Fixtures.max("accuracy"), Fixtures.min("macs")), null, Constraints.none())));
        assertTrue(e.problem().contains("Evolution optimises one objective, 2 are given"), e.problem());
    }

    @Test
    void anObjectiveTheTrainerDoesNotReportIsLocated() {
        MapNode section = yaml("accuracy: max\nlatency: min\n");
        List<Objective> o = Objectives.from(section, provider("NSGA2"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Objectives.checkReported(section, o, List.of("accuracy", "loss", "params", "macs"), "the DJL trainer"));
        assertEquals("job.yml:2:1: latency: the DJL trainer does not report 'latency' (it reports accuracy, loss, params, macs)",
                e.getMessage());
        Objectives.checkReported(section, List.of(Fixtures.max("accuracy")), List.of("accuracy"), "the DJL trainer");
    }

    @Test
    void aTrialLackingAnObjectiveIsNamed() {
        List<Objective> o = List.of(Fixtures.min("f1"), Fixtures.min("f2"));
        assertEquals(Optional.empty(), Objectives.missing(Map.of("f1", 1.0, "f2", 2.0, "loss", 3.0), o));
        assertEquals(Optional.of("the trial reports no 'f2', an objective of this search (it reports f1)"),
                Objectives.missing(Map.of("f1", 1.0), o));
    }

    // ------------------------------------------------------------------------- constraints

    @Test
    void constraintsReadAsTextOrAsAMap() {
        Constraints text = Constraints.from(yaml("c: [\"macs <= 5e7\", \"params < 1e6\", \"bitops>=10\"]\n").require("c"));
        assertEquals(3, text.limits().size());
        assertEquals(Optional.empty(), text.check(Map.of("macs", 5e7, "params", 999_999.0, "bitops", 10.0)));
        assertEquals(Optional.of("macs = 50000001 breaks 'macs <= 50000000'"),
                text.check(Map.of("macs", 5e7 + 1, "params", 1.0, "bitops", 10.0)));
        assertEquals(Optional.of("params = 1000000 breaks 'params < 1000000'"),
                text.check(Map.of("macs", 1.0, "params", 1e6, "bitops", 10.0)));

        Constraints map = Constraints.from(yaml("c:\n  macs: \"<= 100\"\n  params: {min: 10, max: 20}\n").require("c"));
        assertEquals(3, map.limits().size());
        assertTrue(map.check(Map.of("macs", 100.0, "params", 15.0)).isEmpty());
        assertTrue(map.check(Map.of("macs", 100.0, "params", 5.0)).isPresent());
        assertEquals(Optional.of("bitops is not measured for this network, so 'bitops <= 1' cannot hold"),
                Constraints.from(yaml("c: [\"bitops <= 1\"]\n").require("c")).check(Map.of("macs", 1.0)));
    }

    @Test
    void anAbsentSectionHasNoConstraints() {
        assertTrue(Constraints.from(yaml("{}")).isEmpty());
        assertTrue(Constraints.from(yaml("c: null\n").require("c")).isEmpty());
    }

    @Test
    void badConstraintsAreLocated() {
        ConfigException e = assertThrows(ConfigException.class, () -> Constraints.from(yaml("c:\n  - \"accuracy >= 0.9\"\n").require("c")));
        assertEquals("c[0]", e.keyPath());
        assertEquals(2, e.location().line());
        assertTrue(e.problem().contains("not 'accuracy'"), e.problem());
        e = assertThrows(ConfigException.class, () -> Constraints.from(yaml("c: [\"mac <= 5\"]\n").require("c")));
        assertTrue(e.problem().contains("did you mean 'macs'"), e.problem());
        assertThrows(ConfigException.class, () -> Constraints.from(yaml("c: [\"macs = 5\"]\n").require("c")));
        assertThrows(ConfigException.class, () -> Constraints.from(yaml("c: [\"macs <= lots\"]\n").require("c")));
        assertThrows(ConfigException.class, () -> Constraints.from(yaml("c: {macs: 5}\n").require("c")));
    }
}
