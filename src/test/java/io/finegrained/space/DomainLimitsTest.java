package io.finegrained.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.config.YamlLoader;
import io.finegrained.search.Gene;
import io.finegrained.search.Genes;
import io.finegrained.search.Rng;
import org.junit.jupiter.api.Test;

/** Domains at the limits of long and double, and hyper-parameter paths into items (issue #14). */
class DomainLimitsTest {

    private static Domain domain(String yaml) {
        return Domains.parse(YamlLoader.parse("d: " + yaml + "\n", "t.yml").require("d"));
    }

    @Test
    void anIntRangeUpToLongMaxWorksAndOneHoldingMoreValuesIsRefused() {
        Domain.IntRange wide = (Domain.IntRange) domain("{type: INT, range: [1, 9223372036854775807]}");
        Gene gene = Genes.of("n", wide, false);
        Rng rng = new Rng(7);
        for (int i = 0; i < 1000; i++) {
            long v = (Long) gene.random(rng);
            assertTrue(v >= 1, "drawn " + v);
        }
        Domain.IntRange negative = (Domain.IntRange) domain("{type: INT, range: [-9223372036854775808, -2]}");
        assertTrue((Long) Genes.of("n", negative, false).random(rng) <= -2);

        ConfigException e = assertThrows(ConfigException.class, () -> domain("{type: INT, range: [0, 9223372036854775807]}"));
        assertEquals("t.yml:1:4: d: the INT range [0, 9223372036854775807] holds more than 9223372036854775807 values, "
                + "the most an INT range may hold; narrow it", e.getMessage());
        e = assertThrows(ConfigException.class, () -> domain("{type: INT, range: [-9223372036854775808, 9223372036854775807]}"));
        assertTrue(e.getMessage().contains("holds more than 9223372036854775807 values"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> domain("{type: INT, range: [0, 9223372036854775808]}"));
        assertEquals("t.yml:1:27: d.range[1]: the number 9223372036854775808 is too large (at most 9223372036854775807)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> domain("{type: INT, range: [-9223372036854775809, 0]}"));
        assertEquals("t.yml:1:24: d.range[0]: the number -9223372036854775809 is too small (at least -9223372036854775808)",
                e.getMessage());
    }

    @Test
    void aFloatRangeWhoseSpanOverflowsIsRefusedAWideOneWorks() {
        ConfigException e = assertThrows(ConfigException.class, () -> domain("{type: FLOAT, range: [-1.0e308, 1.0e308]}"));
        assertEquals("t.yml:1:4: d: the FLOAT range [-1.0E308, 1.0E308] spans more than a double holds (1.7976931348623157E308), "
                + "so every value drawn from it would be infinite; narrow it", e.getMessage());
        Domain.FloatRange wide = (Domain.FloatRange) domain("{type: FLOAT, range: [-8.0e307, 8.0e307]}");
        Gene gene = Genes.of("x", wide, false);
        Rng rng = new Rng(3);
        java.util.Set<Double> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            double v = (Double) gene.random(rng);
            assertTrue(Double.isFinite(v) && v >= -8.0e307 && v <= 8.0e307, "drawn " + v);
            seen.add(v);
        }
        assertTrue(seen.size() > 90, "many values, not one: " + seen.size());
        Domain.FloatRange exp = (Domain.FloatRange) domain("{type: FLOAT_EXP, range: [4.9e-324, 1.0e308]}");
        double v = (Double) Genes.of("lr", exp, false).random(rng);
        assertTrue(v > 0 && Double.isFinite(v), "drawn " + v);
        e = assertThrows(ConfigException.class, () -> domain("{type: FLOAT, range: [0.0, .inf]}"));
        assertEquals("t.yml:1:31: d.range[1]: expected a finite number, found Infinity", e.getMessage());
    }

    private static final String SPACE = "search_space:\n"
            + "  hyper_parameters:\n"
            + "    stages.%s: [1, 1, 1, 1]\n"
            + "  modules: [stem, stages, head]\n"
            + "  stem: {type: SmallInputInitialBlock, init_plane: 8}\n"
            + "  stages:\n"
            + "    type: Repeat\n"
            + "    ref: {type: BasicBlock, inchannel: 8, outchannel: 8}\n"
            + "    items: {stride: [1, 1, 1, 1]}\n"
            + "  head: {type: LinearClassificationHead, num_class: 10}\n";

    @Test
    void aHyperParameterPathIntoItemsMustNameAListOrAParameterOfTheRepeatedModule() {
        SeedSpaces.text(String.format(SPACE, "items.stride"));
        // Not written, but a parameter of BasicBlock: the path is accepted (its default width 1 then fails the network's check).
        ConfigException width = assertThrows(ConfigException.class, () -> SeedSpaces.text(String.format(SPACE, "items.outchannel")));
        assertTrue(width.getMessage().endsWith("inchannel is 8 but 1 channels come in (set by search_space.hyper_parameters.stages.items.outchannel[0])"),
                width.getMessage());
        ConfigException e = assertThrows(ConfigException.class,
                () -> SeedSpaces.text(String.format(SPACE, "items.foo")));
        assertTrue(e.getMessage().startsWith("test.yml:3:5: search_space.hyper_parameters.stages.items.foo: 'stages.items.foo' names no parameter: "
                + "'stages.items' has no list 'foo', and BasicBlock (the module it repeats) no parameter 'foo' (known: "), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> SeedSpaces.text(String.format(SPACE, "items.strid")));
        assertTrue(e.getMessage().endsWith("did you mean 'stride'?"), e.getMessage());
    }
}
