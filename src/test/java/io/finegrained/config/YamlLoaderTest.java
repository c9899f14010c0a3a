package io.finegrained.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlLoaderTest {

    @Test
    void pythonTupleLoadsAsAList() {
        MapNode root = YamlLoader.parse("pool:\n  output_size: !!python/tuple [1, 1]\n", "t.yml");
        ListNode size = Nodes.list(root.requireMap("pool").require("output_size"));
        assertEquals(List.of(1, 1), size.asIntList());
        assertEquals("pool.output_size", size.path());
        assertEquals(2, size.location().line());
    }

    @Test
    void otherLanguageTagsAreRejectedWithTheirPlace() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlLoader.parse("a:\n  b: !!python/object/apply:os.system ['ls']\n", "t.yml"));
        assertTrue(e.getMessage().startsWith("t.yml:2:6: a.b:"), e.getMessage());
        assertTrue(e.getMessage().contains("!!python/object/apply:os.system"), e.getMessage());
        assertThrows(ConfigException.class, () -> YamlLoader.parse("a: !!java.io.File [x]\n", "t.yml"));
    }

    @Test
    void aliasesExpandToTheAnchoredValue() {
        MapNode root = YamlLoader.parse("x: &w [1, 2]\ny: *w\n", "t.yml");
        assertEquals(List.of(1, 2), Nodes.list(root.require("y")).asIntList());
    }

    @Test
    void duplicateKeysAreAnErrorAtTheSecondKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse("a: 1\nb: 2\na: 3\n", "t.yml"));
        assertEquals(3, e.location().line());
        assertTrue(e.getMessage().contains("duplicate key 'a' (first written at line 1)"), e.getMessage());
    }

    @Test
    void seedQuirksLoad() {
        MapNode root = YamlLoader.parse(" search_space:\n   layer:\n     downsample : [1, 0]\n", "t.yml");
        assertEquals(List.of(1, 0), Nodes.list(root.requireMap("search_space").requireMap("layer").require("downsample")).asIntList());
    }

    @Test
    void numbersThatOverflowAreLocatedErrors() {
        MapNode root = YamlLoader.parse("depth: 99999999999999999999999\n", "t.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> root.optInt("depth", 1));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertEquals("depth", e.keyPath());
    }

    @Test
    void unknownKeysSuggestTheClosest() {
        MapNode root = YamlLoader.parse("epohcs: 3\n", "t.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> root.checkKeys(List.of("epochs", "lr"), "the trainer section"));
        assertTrue(e.getMessage().contains("did you mean 'epochs'?"), e.getMessage());
    }
}
