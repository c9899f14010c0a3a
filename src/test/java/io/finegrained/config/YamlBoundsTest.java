package io.finegrained.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounds of a configuration file (issue #14, docs/limits.md): each a located error, nothing large built first. */
public class YamlBoundsTest {
    @TempDir
    Path tmp;

    /** a0 holds 10 scalars; each a(k) lists a(k-1) ten times: 90 aliases, nested 9 deep. */
    public static String aliasBomb() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int k = 1; k <= 9; k++) {
            yaml.append("a").append(k).append(": &a").append(k).append(" [");
            for (int i = 0; i < 10; i++) {
                yaml.append(i > 0 ? ", " : "").append("*a").append(k - 1);
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void anAliasBombIsRefusedBeforeASingleNodeIsBuilt() {
        String bomb = aliasBomb();
        assertEquals(90, bomb.split("\\*a", -1).length - 1, "90 aliases, under SnakeYAML's limit of 100");
        // Expanded sizes: a0 = 1 + 10 scalars; a(k) = 1 + 10 * a(k-1); the file = its map + a0..a9.
        long[] size = new long[10];
        size[0] = 11;
        for (int k = 1; k < 10; k++) {
            size[k] = 1 + 10 * size[k - 1];
        }
        long whole = 1;
        for (long s : size) {
            whole += s;
        }
        assertEquals(1_111_111, size[5]);
        assertTrue(size[9] > 1_000_000_000L, "a9 alone expands to more than 10^9 nodes: " + size[9]);

        YamlLoader loader = new YamlLoader("bomb.yml", YamlLoader.Limits.DEFAULT);
        ConfigException e = assertThrows(ConfigException.class, () -> loader.read(bomb));
        assertEquals(0, loader.nodesBuilt(), "refused before any configuration node was built");
        // The smallest part over the limit is a5 (1,111,111 nodes), on line 6.
        assertEquals(new Location("bomb.yml", 6, 5), e.location());
        assertEquals("a5", e.keyPath());
        assertEquals("bomb.yml:6:5: a5: aliases (*name) expand this value to 1,111,111 nodes, more than the limit of 1,000,000 "
                + "for a configuration file (the whole file: " + String.format("%,d", whole) + "); "
                + "write the repeated part out, or anchor a smaller part", e.getMessage());
    }

    @Test
    void theNodeBudgetCountsWhatIsBuiltExactly() {
        // root 1 + base {x, y: [1, 2]} 5 + use {<<: base (5), z} 7 + again (base) 5 = 18 nodes.
        String yaml = "base: &b {x: 1, y: [1, 2]}\nuse: {<<: *b, z: 3}\nagain: *b\n";
        YamlLoader atTheLimit = new YamlLoader("t.yml", new YamlLoader.Limits(1000, 64, 18));
        MapNode root = atTheLimit.read(yaml);
        assertEquals(18, atTheLimit.nodesBuilt());
        assertEquals(3L, root.requireMap("use").require("z").toPlain());

        YamlLoader overIt = new YamlLoader("t.yml", new YamlLoader.Limits(1000, 64, 17));
        ConfigException e = assertThrows(ConfigException.class, () -> overIt.read(yaml));
        assertEquals(0, overIt.nodesBuilt());
        assertEquals("t.yml:1:1: aliases (*name) expand this file to 18 nodes, more than the limit of 17 for a configuration file "
                + "(the whole file: 18); write the repeated part out, or anchor a smaller part", e.getMessage());
    }

    @Test
    void theNodesAsWrittenAreCountedBeforeComposition() {
        // Written: root, base's map, 1, [, 1, 2 (keys are not nodes) = 6; expanded they are 6 too.
        String yaml = "base: {x: 1, y: [1, 2]}\n";
        assertTrue(new YamlLoader("t.yml", new YamlLoader.Limits(1000, 64, 6)).read(yaml).has("base"));
        YamlLoader loader = new YamlLoader("t.yml", new YamlLoader.Limits(1000, 64, 5));
        ConfigException e = assertThrows(ConfigException.class, () -> loader.read(yaml));
        assertEquals("t.yml:1:21: the file holds more than 5 nodes (maps, lists and values) by here, the limit of a configuration file",
                e.getMessage());
        assertEquals(0, loader.nodesBuilt());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedWhereItHappens() {
        String deep = "a: " + "[".repeat(64) + "]".repeat(64) + "\n"; // the document's map + 64 lists = 65 levels
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse(deep, "t.yml"));
        assertEquals("t.yml:1:67: the lists and maps nest deeper than 64 levels here, the limit of a configuration file", e.getMessage());
        YamlLoader.parse("a: " + "[".repeat(63) + "]".repeat(63) + "\n", "t.yml"); // 64 levels: fine

        String veryDeep = "a: " + "[".repeat(200_000) + "\n";
        e = assertThrows(ConfigException.class, () -> YamlLoader.parse(veryDeep, "t.yml"));
        assertEquals(new Location("t.yml", 1, 67), e.location(), "no stack overflow, the same place");
    }

    @Test
    void aliasesCannotNestDeeperThanTheLimitEither() {
        String forty = "[".repeat(40) + "]".repeat(40);
        String yaml = "deep: &d " + forty + "\nuse: " + "[".repeat(30) + "*d" + "]".repeat(30) + "\n";
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse(yaml, "t.yml"));
        assertTrue(e.getMessage().endsWith("aliases (*name) make the lists and maps nest deeper than 64 levels here, "
                + "the limit of a configuration file"), e.getMessage());
        assertTrue(e.keyPath().startsWith("use[0][0]"), e.keyPath());
    }

    @Test
    void aRecursiveAliasIsLocated() {
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse("a: &x [1, *x]\n", "t.yml"));
        assertTrue(e.getMessage().contains("an alias refers to a node that contains it"), e.getMessage());
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedWhereTheLimitFalls() throws Exception {
        String line = "#" + "x".repeat(98) + "\n"; // 100 bytes
        Path file = tmp.resolve("big.yml");
        int lines = YamlLoader.MAX_FILE_BYTES / 100 + 1;
        Files.writeString(file, "search_space: {}\n" + line.repeat(lines));
        assertTrue(Files.size(file) > YamlLoader.MAX_FILE_BYTES);
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.load(file));
        // Byte 1,048,576 (0-based) lies after the first line (17 bytes) and 10,485 whole comment lines.
        long offset = YamlLoader.MAX_FILE_BYTES - 17;
        assertEquals(new Location(file.toString(), (int) (2 + offset / 100), (int) (offset % 100) + 1), e.location());
        assertEquals(file + ":" + (2 + offset / 100) + ":" + (offset % 100 + 1) + ": the file is larger than 1 MiB, the limit of a "
                + "configuration file (it goes on past this point); is it the right file?", e.getMessage());

        Path exact = tmp.resolve("exact.yml");
        String head = "search_space: {}\n";
        byte[] bytes = new byte[YamlLoader.MAX_FILE_BYTES];
        java.util.Arrays.fill(bytes, (byte) '\n');
        System.arraycopy(head.getBytes(StandardCharsets.UTF_8), 0, bytes, 0, head.length());
        Files.write(exact, bytes);
        assertTrue(YamlLoader.load(exact).has("search_space"), "exactly the limit loads");
    }

    @Test
    void aNonUtf8FileIsNamedAsSuchWithItsPlace() throws Exception {
        Path file = tmp.resolve("latin1.yml");
        Files.write(file, "a: 1\nb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.load(file));
        assertEquals(file + ":2:7: the file is not UTF-8 text: byte 0xE9 (at offset 11) cannot be read as UTF-8; "
                + "is it a binary file? A configuration file is YAML text in UTF-8", e.getMessage());

        Path png = tmp.resolve("image.yml");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        e = assertThrows(ConfigException.class, () -> YamlLoader.load(png));
        assertTrue(e.getMessage().startsWith(png + ":1:1: the file is not UTF-8 text: byte 0x89 (at offset 0)"), e.getMessage());
    }

    @Test
    void aBinaryFileIsNamedAsSuch() throws Exception {
        Path file = tmp.resolve("elf.yml");
        Files.write(file, new byte[] {'a', ':', ' ', '1', '\n', 0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.load(file));
        assertEquals(file + ":2:1: the file holds the control character U+007F, so it is binary, not YAML text; "
                + "a configuration file is YAML text in UTF-8", e.getMessage());
        e = assertThrows(ConfigException.class, () -> YamlLoader.parse("a: b\u0000c\n", "t.yml"));
        assertEquals("t.yml:1:5: the file holds the control character U+0000, so it is binary, not YAML text; "
                + "a configuration file is YAML text in UTF-8", e.getMessage());
        assertEquals("x", YamlLoader.parse("\ufeffa: x\n", "t.yml").require("a").toPlain(), "a byte-order mark is text");
    }

    @Test
    void numbersTooSmallAreCalledTooSmall() {
        MapNode root = YamlLoader.parse("neg: -99999999999999999999\nint: -3000000000\nbig: 3000000000\nwhole: 1.0e18\n", "t.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> Nodes.scalar(root.require("neg")).asLong());
        assertEquals("t.yml:1:6: neg: the number -99999999999999999999 is too small (at least -9223372036854775808)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> Nodes.scalar(root.require("int")).asInt());
        assertEquals("t.yml:2:6: int: the number -3000000000 is too small (at least -2147483648)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> Nodes.scalar(root.require("big")).asInt());
        assertEquals("t.yml:3:6: big: the number 3000000000 is too large (at most 2147483647)", e.getMessage());
        assertEquals(1_000_000_000_000_000_000L, Nodes.scalar(root.require("whole")).asLong());
        assertEquals(-1e20, Nodes.scalar(root.require("neg")).asDouble(), 1e5, "a whole number beyond a long is a fine real number");
    }

    @Test
    void realNumbersThatADoubleCannotHoldAreLocatedErrors() {
        ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse("lr: 1.0e400\n", "t.yml"));
        assertEquals("t.yml:1:5: lr: the number 1.0e400 is too large for a real number (at most 1.7976931348623157E308)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> YamlLoader.parse("lr: -1.0e400\n", "t.yml"));
        assertEquals("t.yml:1:5: lr: the number -1.0e400 is too small for a real number (at least -1.7976931348623157E308)",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> YamlLoader.parse("lr: 1.0e-400\n", "t.yml"));
        assertEquals("t.yml:1:5: lr: the number 1.0e-400 is too close to zero for a real number: it would be read as 0 "
                + "(the smallest is 4.9E-324)", e.getMessage());
        assertEquals(0.0, YamlLoader.parse("lr: 0.0e-400\n", "t.yml").require("lr").toPlain(), "a written zero is zero");
        MapNode inf = YamlLoader.parse("lr: .inf\n", "t.yml");
        assertEquals(Double.POSITIVE_INFINITY, inf.require("lr").toPlain(), "YAML's own infinity is what it says");
        e = assertThrows(ConfigException.class, () -> Nodes.scalar(inf.require("lr")).asDouble());
        assertEquals("t.yml:1:5: lr: expected a finite number, found Infinity", e.getMessage());
    }
}
