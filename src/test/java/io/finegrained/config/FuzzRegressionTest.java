package io.finegrained.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs the fuzz test ({@code space.ConfigFuzzTest}) found, kept as plain cases (docs/limits.md
 * lists them).
 */
class FuzzRegressionTest {

    /** {@code name: &aN [*a(N-1) x 10]} for N in 1..levels, under a key of the file. */
    private static String aliases(int levels, int perLevel) {
        StringBuilder text = new StringBuilder("search_space: {}\nb0: &b0 [1, 1]\n");
        for (int i = 1; i <= levels; i++) {
            text.append('b').append(i).append(": &b").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(perLevel, "*b" + (i - 1)))).append("]\n");
        }
        return text.toString();
    }

    /**
     * Found 2026-12-02 (seed 20261202, from src/test/resources/broken/zero_width.yml with two alias
     * bombs appended): more than 100 aliases of lists were SnakeYAML's own refusal, "invalid YAML:
     * Number of aliases for non-scalar nodes exceeds the specified max=100", with no line.
     */
    @Test
    void moreThanAHundredAliasesOfListsAreALocatedRefusal() {
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse(aliases(11, 10), "f.yml"));
        assertEquals("f.yml:13:12: the file holds more than 100 aliases (*name) of lists or maps by here, the limit of a"
                + " configuration file; write the repeated parts out", e.getMessage());
        // 100 exactly (10 levels of 10, expanding to 2 x 10^10 nodes) reaches the expansion budget instead, located too.
        e = assertThrows(ConfigException.class, () -> YamlLoader.parse(aliases(10, 10), "f.yml"));
        assertEquals(true, e.getMessage().startsWith("f.yml:"), e.getMessage());
        assertEquals(true, e.getMessage().contains("aliases (*name) expand this value to"), e.getMessage());
        // 100 small ones load.
        MapNode fine = YamlLoader.parse(aliases(1, 100), "f.yml");
        assertEquals(100, ((List<?>) fine.require("b1").toPlain()).size());
    }

    @Test
    void aliasesOfScalarsAreNotCountedAgainstThatLimit() {
        StringBuilder text = new StringBuilder("search_space: {}\nv: &v 3\nl: [");
        text.append(String.join(", ", java.util.Collections.nCopies(500, "*v"))).append("]\n");
        MapNode map = YamlLoader.parse(text.toString(), "f.yml");
        assertEquals(500, ((List<?>) map.require("l").toPlain()).size());
    }

    /**
     * Found 2026-12-02 (seed 20261202, 6,000 tries, from conf/command_hpo.yml with a category's
     * value replaced by {@code null}): a NullPointerException from building the domain.
     */
    @Test
    void anEmptyCategoryValueIsALocatedRefusal() {
        JobConfig config = JobConfig.parse("search_space:\n  hyper_parameters:\n    depth: {type: CATEGORY, range: [18, ~, 34]}\n",
                java.nio.file.Path.of("f.yml"));
        ConfigException e = assertThrows(ConfigException.class, () -> io.finegrained.space.SearchSpace.parse(
                config.section("search_space"), io.finegrained.train.TrainerConfig.KEYS));
        assertEquals("f.yml:3:41: search_space.hyper_parameters.depth.range[1]: a CATEGORY value cannot be empty (null or ~);"
                + " write the value, or quote it ('null') to mean the text", e.getMessage());
    }
}
