package io.finegrained.search;

import static io.finegrained.search.Fixtures.settings;
import static io.finegrained.search.Fixtures.space;
import static io.finegrained.search.Fixtures.unit;
import static io.finegrained.search.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.space.Domain;
import io.finegrained.space.ParameterSpace;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the algorithm providers refuse when the job is configured, located in the file. */
class RefusalTest {
    private static final List<Objective> ACC = List.of(Fixtures.max("accuracy"));

    private static ConfigException refused(String settings, ParameterSpace space, Fixtures.CountingFacts facts, Constraints constraints) {
        return assertThrows(ConfigException.class,
                () -> Fixtures.algorithm(settings(settings), space, ACC, facts, constraints));
    }

    @Test
    void gridSearchOnARealWithoutGridPoints() {
        ConfigException e = refused("seed: 3\ntype: GridSearch\n", space("lr", new Domain.FloatRange(1e-4, 0.1, true, null)), null, Constraints.none());
        assertEquals("job.yml:2:1: type: GridSearch cannot enumerate FLOAT_EXP 'lr' without grid_points:"
                + " set search_algorithm.grid_points (points per real axis)", e.getMessage());
    }

    @Test
    void gridSearchTooLargeToRunWholeWithoutSamples() {
        ConfigException e = refused("type: GridSearch\n", space("code", new Domain.BinaryCode(40, null, null)), null, Constraints.none());
        assertTrue(e.problem().contains("the grid has 1099511627776 points"), e.problem());
    }

    @Test
    void quantAndPruneNeedTheirModule() {
        ConfigException e = refused("type: QuantEA\n", space(), null, Constraints.none());
        assertTrue(e.problem().startsWith("QuantEA searches the bit widths of a Quant process module, and this space has none"), e.problem());
        e = refused("type: PruneEA\n", space(), null, Constraints.none());
        assertTrue(e.problem().startsWith("PruneEA searches the channel masks of a Prune process module"), e.problem());
    }

    @Test
    void quantAndPruneSearchOnlyTheirOwnGenes() {
        ConfigException e = refused("type: QuantEA\n", space("trainer.lr", unit()), new Fixtures.CountingFacts(), Constraints.none());
        assertTrue(e.problem().contains("the space also opens 'trainer.lr'"), e.problem());
    }

    @Test
    void backboneNasOnlyEvolvesBinaryCodes() {
        ConfigException e = refused("type: BackboneNasSearch\n", space("layer.downsample", new Domain.BinaryCode(4, null, List.of(1, 0, 1, 0)),
                "trainer.lr", unit()), null, Constraints.none());
        assertTrue(e.problem().contains("'trainer.lr' is FLOAT: use NSGA2 for a mixed space"), e.problem());
    }

    @Test
    void anEmptySpaceHasNothingToSearch() {
        ConfigException e = refused("type: NSGA2\n", space(), null, Constraints.none());
        assertTrue(e.problem().contains("the space opens no hyper-parameters"), e.problem());
    }

    @Test
    void evolutionTakesOneObjective() {
        ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.algorithm(settings("type: Evolution\n"),
                space("x", unit()), List.of(Fixtures.max("accuracy"), Fixtures.min("macs")), null, Constraints.none()));
        assertTrue(e.problem().contains("use NSGA2 for several"), e.problem());
    }

    @Test
    void constraintsNeedANetwork() {
        Constraints c = Constraints.from(yaml("constraints: [\"macs <= 5e7\"]\n").require("constraints"));
        ConfigException e = refused("type: NSGA2\n", space("x", unit()), null, c);
        assertEquals("constraints[0]", e.keyPath());
        assertTrue(e.problem().contains("this space has no modules"), e.problem());
    }

    @Test
    void aBitOpsConstraintNeedsAQuantModule() {
        Fixtures.CountingFacts noQuant = new Fixtures.CountingFacts() {
            @Override
            public String quantPath() {
                return null;
            }
        };
        Constraints c = Constraints.from(yaml("constraints: [\"macs <= 5e7\", \"bitops <= 1e6\"]\n").require("constraints"));
        ConfigException e = refused("type: NSGA2\n", space("x", unit()), noQuant, c);
        assertEquals("constraints[1]", e.keyPath());
    }
}
