package io.finegrained.space;
import org.junit.jupiter.api.Tag;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.config.YamlLoader;
import io.finegrained.train.TrainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Fuzzing of YAML loading, space building and value resolution (issue #14), seeded from the
 * project's own configurations ({@code conf/*.yml}, the seed's examples in {@code conf/seed},
 * the test jobs and the broken-file cases). Each try takes one of them, mutates its tree (keys
 * dropped, renamed or grafted elsewhere, values replaced by odd scalars, nested deep, shared so
 * that the dump writes anchors and aliases) and its text (lines duplicated, cut, characters
 * inserted, bytes that are not UTF-8, alias bombs, raw YAML such as {@code 1.0e400} or
 * {@code !!python/tuple}). The only outcomes allowed:
 * <ul>
 *   <li>loading and building: a built space, or a {@link ConfigException} located in the file
 *       (line 1 or later), or a located {@link SpecException};</li>
 *   <li>resolving values: a network, or the documented {@link InvalidCandidateException}.</li>
 * </ul>
 * Anything else (a NullPointerException, an unlocated IllegalArgumentException, a stack overflow,
 * out of memory, a try over {@value #TRY_SECONDS} s) fails with the input written to
 * {@code target/fuzz-failures/}. The seed is fixed; the number of tries is jqwik's default, set in
 * {@code src/test/resources/junit-platform.properties} to about a minute here; a longer run:
 * {@code mvn -B -o test -Dtest=ConfigFuzzTest -Djqwik.tries.default=20000}. What it found is kept
 * as plain tests in {@code config.FuzzRegressionTest}.
 */
@Tag("slow")
class ConfigFuzzTest {
    private static final int TRY_SECONDS = 10;
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        // A deep stack like the main thread's, so that a stack overflow is the code's, not the runner's.
        Thread t = new Thread(null, r, "fuzz-try", 8L << 20);
        t.setDaemon(true);
        return t;
    });
    private static final List<Seed> SEEDS = seeds();
    private static final String[] RAW = {
        "1.0e400", "-1.0e400", "1.0e-400", "99999999999999999999999", "-99999999999999999999", "9223372036854775808",
        "-9223372036854775809", "9223372036854775807", "-9223372036854775808", "2147483648", "-2147483649", "0x7fffffffffffffff",
        "0o777", "0b101", "1_000", ".nan", ".inf", "-.inf", "~", "null", "!!binary aGVsbG8=", "!!python/tuple [1, 2]",
        "!!set {a, b}", "!!timestamp 2001-12-14", "2001-12-14", "!!str 3", "!!int '7'", "!!float 1", "*nowhere",
        "&lonely 3", "{a: 1, a: 2}", "[1, [2, [3, [4]]]]", "\"\\0\\x07\"", "''", "\"\"", "[]", "{}", "-0", "+1", "0.0", "-0.0",
        "1e18", "1.0e19", "4.9e-324", "1.7976931348623157e308", "yes", "no", "on", "off", "[0, 1, 2]", "[0.5]", "[true]",
        "[[]]", "{type: INT, range: [0, 9223372036854775807]}", "{type: INT, range: [-9223372036854775808, 0]}",
        "{type: FLOAT, range: [-1.0e308, 1.0e308]}", "{type: FLOAT_EXP, range: [0, 1]}", "{type: BINARY_CODE, length: 0}",
        "{type: BINARY_CODE, length: 2147483647}", "{type: CATEGORY, values: []}", "{type: BOOL}", "{type: NOPE}",
    };
    private static final Pattern RAW_MARK = Pattern.compile("'?@@RAW(\\d+)@@'?");

    /** A file of the corpus: its text, and its tree when it loads (a broken case may not: it is mutated as text). */
    private record Seed(String name, String text, Object tree) {
    }

    private static List<Seed> seeds() {
        Path root = SeedSpaces.root();
        List<Seed> seeds = new ArrayList<>();
        for (String folder : List.of("conf", "conf/seed", "src/test/resources/jobs", "src/test/resources/broken")) {
            try (Stream<Path> files = Files.list(root.resolve(folder))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                    String text = Files.readString(p);
                    Object tree;
                    try {
                        tree = YamlLoader.load(p).toPlain();
                    } catch (ConfigException e) {
                        tree = null;
                    }
                    seeds.add(new Seed(root.relativize(p).toString(), text, tree));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (seeds.size() < 20) {
            throw new IllegalStateException("the fuzz corpus is too small (" + seeds.size() + " files under " + root + ")");
        }
        return List.copyOf(seeds);
    }

    @Provide
    Arbitrary<Integer> seedIndex() {
        return Arbitraries.integers().between(0, SEEDS.size() - 1);
    }

    /** How the tries ended, printed at the end: a fuzz whose every try is one refusal tests little. */
    private static final Map<String, java.util.concurrent.atomic.AtomicInteger> OUTCOMES = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static void count(String outcome) {
        OUTCOMES.computeIfAbsent(outcome, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }

    @AfterContainer
    static void stopRunner() {
        RUNNER.shutdownNow();
        System.out.println("ConfigFuzzTest outcomes: " + OUTCOMES);
    }

    @Property(seed = "20261202", shrinking = ShrinkingMode.OFF)
    void aMutatedConfigurationBuildsASpaceOrIsALocatedError(@ForAll("seedIndex") int seed, @ForAll long mutationSeed,
                                                            @ForAll @IntRange(min = 1, max = 4) int mutations) throws Exception {
        Seed source = SEEDS.get(seed);
        Random random = new Random(mutationSeed);
        Path file = Files.createTempFile("fuzz", ".yml");
        try {
            // Mutated under the time bound too: a shared node can make the tree a large graph.
            within(() -> file.toFile().exists() ? Files.readAllBytes(file) : new byte[0], source, () -> {
                Files.write(file, mutate(source, random, mutations));
                return loadAndBuild(file, random);
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property(seed = "20261203", shrinking = ShrinkingMode.OFF)
    void resolvingValuesGivesANetworkOrTheInvalidCandidateRefusal(@ForAll("seedIndex") int seed, @ForAll long valueSeed,
                                                                  @ForAll @IntRange(min = 0, max = 4) int oddValues) throws Exception {
        Seed source = SEEDS.get(seed);
        if (source.tree() == null) {
            return;
        }
        SearchSpace space;
        try {
            space = SearchSpace.parse(JobConfig.parse(dump(source.tree()), Path.of(source.name())).section("search_space"),
                    TrainerConfig.KEYS);
        } catch (ConfigException e) {
            return; // a broken case: it has no space to resolve values in
        }
        if (!space.hasModules()) {
            return;
        }
        Random random = new Random(valueSeed);
        Map<String, Object> values = values(space.parameters(), random, oddValues);
        within(() -> String.valueOf(values).getBytes(StandardCharsets.UTF_8), source, () -> {
            try {
                space.resolve(values);
                count("resolved: a network");
            } catch (InvalidCandidateException e) {
                count("resolved: invalid candidate");
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("an invalid-candidate refusal without a reason", e);
                }
            }
            return null;
        });
    }

    /** Loads and builds, allowing only a space or a located error. */
    private static Object loadAndBuild(Path file, Random random) {
        try {
            JobConfig config = JobConfig.load(file);
            SearchSpace space = SearchSpace.parse(config.section("search_space"), TrainerConfig.KEYS);
            space.parameters();
            if (space.hasModules()) {
                space.defaults();
                try {
                    space.resolve(values(space.parameters(), random, 0));
                    count("built: a space with modules, a drawn network resolved");
                } catch (InvalidCandidateException e) {
                    count("built: a space with modules, a drawn network invalid");
                    // documented: a drawn candidate may give no valid network
                }
            }
            if (!space.hasModules()) {
                count("built: a space without modules");
            }
        } catch (ConfigException e) {
            count("refused: located configuration error");
            if (!e.location().file().equals(file.toString()) || e.location().line() < 1 || e.problem() == null
                    || e.problem().isBlank()) {
                throw new AssertionError("a configuration error without a location in the file: " + e.getMessage(), e);
            }
        } catch (SpecException e) {
            count("refused: located specification error");
            if (!e.isLocated()) {
                throw new AssertionError("a specification error without a location: " + e.getMessage(), e);
            }
        }
        return null;
    }

    /** Runs {@code work} within the time bound; any other outcome fails with the input saved. */
    private static void within(java.util.concurrent.Callable<byte[]> input, Seed source, java.util.concurrent.Callable<Object> work)
            throws Exception {
        Future<Object> result = RUNNER.submit(work);
        try {
            result.get(TRY_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            failWith(input, source, "no outcome within " + TRY_SECONDS + " s", null);
        } catch (ExecutionException e) {
            failWith(input, source, e.getCause().toString(), e.getCause());
        }
    }

    private static void failWith(java.util.concurrent.Callable<byte[]> input, Seed source, String what, Throwable cause)
            throws Exception {
        Path dir = SeedSpaces.root().resolve("target/fuzz-failures");
        Files.createDirectories(dir);
        Path saved = Files.createTempFile(dir, "case", ".yml");
        Files.write(saved, input.call());
        throw new AssertionError("from " + source.name() + ", input in " + saved + ": " + what, cause);
    }

    // ---- values ----

    /** A value for every parameter, {@code odd} of them replaced by something outside the domain or of another kind. */
    static Map<String, Object> values(ParameterSpace parameters, Random random, int odd) {
        Map<String, Object> values = new LinkedHashMap<>();
        parameters.domains().forEach((name, domain) -> values.put(name, draw(domain, random)));
        List<String> names = new ArrayList<>(values.keySet());
        for (int i = 0; i < odd; i++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!names.isEmpty()) {
                        values.put(names.get(random.nextInt(names.size())), oddValue(random));
                    }
                }
                case 1 -> {
                    if (!names.isEmpty()) {
                        values.remove(names.get(random.nextInt(names.size())));
                    }
                }
                case 2 -> {
                    String base = names.isEmpty() ? "stem" : names.get(random.nextInt(names.size()));
                    String[] tails = {".items.foo", ".channels", ".0", ".items.-1", ".items.99999999999", "..", ".", "x"};
                    values.put(base + tails[random.nextInt(tails.length)], oddValue(random));
                }
                default -> {
                    String[] paths = {"", ".", "layers.items.0.doublechannel", "trainer.lr", "process.nbit_w_list",
                        "stem.block.items.1", "a.b.c.d.e.f.g.h", "items", "modules"};
                    values.put(paths[random.nextInt(paths.length)], oddValue(random));
                }
            }
        }
        return values;
    }

    private static Object draw(Domain domain, Random random) {
        if (domain instanceof Domain.BinaryCode code) {
            List<Integer> bits = new ArrayList<>();
            for (int i = 0; i < code.length(); i++) {
                bits.add(random.nextInt(2));
            }
            if (code.ones() != null) {
                // exactly `ones` ones: the first ones set, then shuffled
                bits.replaceAll(b -> 0);
                for (int i = 0; i < code.ones(); i++) {
                    bits.set(i, 1);
                }
                java.util.Collections.shuffle(bits, random);
            }
            return bits;
        }
        if (domain instanceof Domain.Category category) {
            return category.values().get(random.nextInt(category.values().size()));
        }
        if (domain instanceof Domain.IntRange range) {
            long span = range.high() - range.low();
            return range.low() + (span == 0 ? 0 : Math.floorMod(random.nextLong(), span + 1));
        }
        if (domain instanceof Domain.FloatRange range) {
            return range.low() + random.nextDouble() * (range.high() - range.low());
        }
        return random.nextBoolean();
    }

    private static Object oddValue(Random random) {
        Object[] odd = {null, -1L, 0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, -0.0, Double.NaN,
            Double.POSITIVE_INFINITY, 1e300, 0.5, "", "x", "../etc", true, List.of(), List.of(1, 0, 1), List.of(2, -1),
            List.of(List.of(1)), Map.of(), Map.of("a", 1), new java.math.BigInteger("99999999999999999999"),
            java.util.Collections.nCopies(100_000, 1), new Object()};
        return odd[random.nextInt(odd.length)];
    }

    // ---- mutations ----

    static byte[] mutate(Seed source, Random random, int mutations) {
        if (source.tree() == null) {
            byte[] bytes = source.text().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < Math.min(mutations, 3); i++) {
                bytes = mutateText(bytes, random);
            }
            return bytes;
        }
        Object tree = copy(source.tree());
        List<String> raws = new ArrayList<>();
        for (int i = 0; i < mutations; i++) {
            tree = mutateTree(tree, random, raws);
        }
        String text = dump(tree);
        Matcher m = RAW_MARK.matcher(text);
        StringBuilder replaced = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(replaced, Matcher.quoteReplacement(raws.get(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(replaced);
        text = replaced.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int textMutations = random.nextInt(5) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < textMutations; i++) {
            bytes = mutateText(bytes, random);
        }
        return bytes;
    }

    private static Object mutateTree(Object tree, Random random, List<String> raws) {
        List<Object> containers = new ArrayList<>();
        collect(tree, containers, 0);
        if (containers.isEmpty()) {
            return tree;
        }
        Object target = containers.get(random.nextInt(containers.size()));
        if (target instanceof Map<?, ?> raw) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) raw;
            List<Object> keys = new ArrayList<>(map.keySet());
            Object key = keys.isEmpty() ? "k" : keys.get(random.nextInt(keys.size()));
            switch (random.nextInt(8)) {
                case 0 -> map.remove(key); // drop a key
                case 1 -> { // rename a key (a typo, or another key of the file)
                    Object value = map.remove(key);
                    map.put(random.nextBoolean() ? key + "s" : anyKey(tree, random), value);
                }
                case 2 -> map.put(key, oddScalar(random, raws));
                case 3 -> map.put(key, nest(map.get(key), 1 + random.nextInt(random.nextInt(10) == 0 ? 100 : 8)));
                case 4 -> map.put(key, pick(containers, random)); // shared: the dump writes an anchor and an alias
                case 5 -> map.put(anyKey(tree, random), copy(pick(containers, random)));
                case 6 -> map.put(key, bigList(random));
                default -> map.put(key, random.nextBoolean() ? new LinkedHashMap<>() : new ArrayList<>());
            }
        } else {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) target;
            int at = list.isEmpty() ? 0 : random.nextInt(list.size());
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (!list.isEmpty()) {
                        list.remove(at);
                    }
                }
                case 1 -> {
                    if (!list.isEmpty()) {
                        list.add(at, list.get(at)); // a duplicate element (shared)
                    }
                }
                case 2 -> {
                    if (list.isEmpty()) {
                        list.add(oddScalar(random, raws));
                    } else {
                        list.set(at, oddScalar(random, raws));
                    }
                }
                case 3 -> list.add(nest(oddScalar(random, raws), 1 + random.nextInt(20)));
                default -> list.add(copy(pick(containers, random)));
            }
        }
        return tree;
    }

    /** Every map and list, each once (shared nodes make the tree a graph, perhaps a cyclic one). */
    private static void collect(Object node, List<Object> out, int depth) {
        collect(node, out, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static void collect(Object node, List<Object> out, java.util.Set<Object> seen) {
        if (!(node instanceof Map<?, ?> || node instanceof List<?>) || !seen.add(node)) {
            return;
        }
        out.add(node);
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, out, seen));
        } else {
            ((List<?>) node).forEach(v -> collect(v, out, seen));
        }
    }

    private static Object pick(List<Object> containers, Random random) {
        return containers.get(random.nextInt(containers.size()));
    }

    private static String anyKey(Object tree, Random random) {
        List<Object> containers = new ArrayList<>();
        collect(tree, containers, 0);
        List<String> keys = new ArrayList<>();
        for (Object c : containers) {
            if (c instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> keys.add(String.valueOf(k)));
            }
        }
        return keys.isEmpty() ? "type" : keys.get(random.nextInt(keys.size()));
    }

    private static Object oddScalar(Random random, List<String> raws) {
        if (random.nextBoolean()) {
            raws.add(RAW[random.nextInt(RAW.length)]);
            return "@@RAW" + (raws.size() - 1) + "@@";
        }
        Object[] plain = {-1, 0, 1, 3, 64, 100000, Long.MAX_VALUE, Long.MIN_VALUE, 0.5, -2.5, 1e308, "", "INT", "FLOAT",
            "CATEGORY", "BINARY_CODE", "ResNet", "Conv2d", "stages.items.foo", "x".repeat(10_000), true, false, null};
        return plain[random.nextInt(plain.length)];
    }

    private static Object nest(Object value, int depth) {
        Object out = value;
        for (int i = 0; i < depth; i++) {
            List<Object> list = new ArrayList<>();
            list.add(out);
            out = list;
        }
        return out;
    }

    private static List<Object> bigList(Random random) {
        List<Object> list = new ArrayList<>();
        int n = random.nextInt(4) == 0 ? 20_000 : random.nextInt(50);
        for (int i = 0; i < n; i++) {
            list.add(random.nextInt(2));
        }
        return list;
    }

    private static byte[] mutateText(byte[] bytes, Random random) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        switch (random.nextInt(7)) {
            case 0 -> { // a byte that is not UTF-8
                byte[] out = bytes.clone();
                if (out.length > 0) {
                    out[random.nextInt(out.length)] = (byte) (random.nextBoolean() ? 0xFF : 0xC3);
                }
                return out;
            }
            case 1 -> { // cut short
                return text.substring(0, random.nextInt(text.length() + 1)).getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> { // a line twice (duplicate keys)
                List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
                int at = random.nextInt(lines.size());
                lines.add(at, lines.get(at));
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> { // an alias bomb under a new key
                StringBuilder bomb = new StringBuilder("\nbomb_0: &b0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
                int levels = 3 + random.nextInt(7);
                for (int i = 1; i <= levels; i++) {
                    bomb.append("bomb_").append(i).append(": &b").append(i).append(" [")
                            .append(String.join(", ", java.util.Collections.nCopies(10, "*b" + (i - 1)))).append("]\n");
                }
                return (text + bomb).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> { // a character that means something in YAML, anywhere
                String[] marks = {":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!python/tuple ", "\t", "#", "|", ">", "? ",
                    "%YAML 1.1\n", "---\n", "...\n", "\u0000", "\u0007", "\uFEFF", "'", "\""};
                int at = random.nextInt(text.length() + 1);
                return (text.substring(0, at) + marks[random.nextInt(marks.length)] + text.substring(at)).getBytes(StandardCharsets.UTF_8);
            }
            case 5 -> { // very deep flow nesting
                int depth = random.nextBoolean() ? 63 + random.nextInt(4) : 5_000;
                return (text + "\ndeep: " + "[".repeat(depth) + "]".repeat(depth) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            default -> { // a second document
                return (text + "\n---\n" + text).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** A deep copy that keeps what is shared shared (and a cycle a cycle). */
    private static Object copy(Object node) {
        return copy(node, new java.util.IdentityHashMap<>());
    }

    private static Object copy(Object node, Map<Object, Object> done) {
        Object known = done.get(node);
        if (known != null) {
            return known;
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            done.put(node, out);
            map.forEach((k, v) -> out.put(k, copy(v, done)));
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            done.put(node, out);
            list.forEach(v -> out.add(copy(v, done)));
            return out;
        }
        return node;
    }

    static String dump(Object tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(1_000_000);
        options.setMaxSimpleKeyLength(1024);
        return new Yaml(options).dump(tree);
    }
}
