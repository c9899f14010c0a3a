package io.finegrained.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.ConfigException;
import io.finegrained.config.YamlLoader;
import io.finegrained.search.AlgorithmProvider;
import io.finegrained.search.Algorithms;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's algorithm and a user's module, each written in a folder of their own and compiled
 * against the product's classes (not the tests'), reach a search without any edit to the
 * project: ServiceLoader finds both. The algorithm is the example of docs/search-algorithms.md,
 * read from the docs, so the docs cannot drift from what works.
 */
@Tag("slow")
class UserPluginTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final String MODULE = """
            package com.example.modules;

            import io.finegrained.space.CompositeType;
            import io.finegrained.space.ModuleSpec;
            import io.finegrained.space.ParamDef;
            import io.finegrained.space.ParamKind;
            import io.finegrained.space.TensorShape;
            import io.finegrained.space.modules.AbstractModule;
            import io.finegrained.space.modules.Specs;
            import io.finegrained.space.modules.Widths;

            /** A 3x3 convolution to a width, BatchNorm and ReLU: a user's module. */
            public final class WideBlock extends AbstractModule implements CompositeType {
                public WideBlock() {
                    super("WideBlock", "3x3 convolution to width, BatchNorm, ReLU.",
                            ParamDef.required("width", ParamKind.INT, "output channels").positive());
                }

                @Override
                public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
                    long in = Widths.incoming(spec, "in_plane", input);
                    return Specs.sequential()
                            .add("conv", Specs.conv(in, spec.getLong("width"), 3, 1, 1, 1, spec.origin("width"), spec.origin("width")))
                            .add("bn", Specs.of("BatchNorm2d"))
                            .add("relu", Specs.of("ReLU"))
                            .build();
                }
            }
            """;
    private static final String JOB = """
            search_algorithm: {type: SequentialRandom, samples: 3, seed: 5}
            search_space:
              hyper_parameters:
                wide.width: {type: CATEGORY, range: [4, 8, 12]}
              modules: [init, wide, head]
              init: {type: SmallInputInitialBlock, init_plane: 4}
              wide: {type: WideBlock, width: 8}
              head: {type: LinearClassificationHead, num_class: 10}
            trainer: {epochs: 1, batch_size: 256}
            objectives: {accuracy: max}
            """;

    @TempDir
    static Path tmp;
    private static Path jar;

    /** The product's runtime class path: this JVM's, less the test classes. */
    private static List<String> productClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> out = new ArrayList<>();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && !entry.contains("test-classes")) {
                out.add(entry);
            }
        }
        return out;
    }

    /** The Java block of docs/search-algorithms.md marked {@code plugin-example}. */
    static String docsExample() throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/search-algorithms.md"));
        Matcher m = Pattern.compile("<!-- plugin-example: ([^ ]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertTrue(m.find(), "docs/search-algorithms.md has no plugin-example block");
        return m.group(2);
    }

    @BeforeAll
    static void buildTheUsersJar() throws Exception {
        Path src = tmp.resolve("user-src");
        Path classes = tmp.resolve("user-classes");
        Path algorithm = src.resolve("com/example/search/SequentialRandom.java");
        Path module = src.resolve("com/example/modules/WideBlock.java");
        Files.createDirectories(algorithm.getParent());
        Files.createDirectories(module.getParent());
        Files.createDirectories(classes);
        Files.writeString(algorithm, docsExample());
        Files.writeString(module, MODULE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, messages, messages, "-d", classes.toString(), "-cp", String.join(java.io.File.pathSeparator,
                productClassPath()), algorithm.toString(), module.toString());
        assertEquals(0, status, "the user's sources compile against the product's classes: " + messages);
        jar = tmp.resolve("user-plugins.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
            service(out, "io.finegrained.search.AlgorithmProvider", "com.example.search.SequentialRandom");
            service(out, "io.finegrained.space.ModuleType", "com.example.modules.WideBlock");
        }
    }

    private static void service(JarOutputStream out, String service, String implementation) throws IOException {
        out.putNextEntry(new JarEntry("META-INF/services/" + service));
        out.write((implementation + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    @Test
    void aSearchRunsTheUsersAlgorithmOnTheUsersModule() throws Exception {
        Path job = tmp.resolve("user-job.yml");
        Files.writeString(job, JOB);
        Path run = tmp.resolve("run");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(command::add);
        List<String> cp = new ArrayList<>(productClassPath());
        cp.add(jar.toString());
        command.addAll(List.of("-Xmx2g", "-Dai.djl.offline=true", "-cp", String.join(java.io.File.pathSeparator, cp),
                "io.finegrained.cli.Main", "search", job.toString(), "--output", run.toString(), "--master", "local[1]"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("search.log").toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the search ends");
        String log = Files.readString(tmp.resolve("search.log"));
        assertEquals(0, p.exitValue(), log);

        List<String> rows = Files.readAllLines(run.resolve("trials.jsonl"));
        assertEquals(3, rows.size(), log);
        ObjectMapper json = new ObjectMapper();
        Set<Long> widths = new HashSet<>();
        Set<Double> params = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = json.readTree(rows.get(i));
            assertEquals("OK", row.get("status").asText(), rows.get(i));
            // One trial a batch: the plug-in proposes the next only after the last is told.
            assertEquals(i, row.get("generation").asInt(), rows.get(i));
            widths.add(row.get("hyperparameters").get("wide.width").asLong());
            params.add(row.get("metrics").get("params").asDouble());
            double accuracy = row.get("metrics").get("accuracy").asDouble();
            assertTrue(accuracy > 0 && accuracy <= 1, rows.get(i));
        }
        assertEquals(Set.of(4L, 8L, 12L), widths, "three distinct widths of the three-value domain");
        assertEquals(3, params.size(), "each width built its own network: " + params);
    }

    @Test
    void thePluginsKeysAreCheckedWithLocatedErrors() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            Algorithms algorithms = Algorithms.load(loader);
            assertTrue(algorithms.names().contains("SequentialRandom"), algorithms.names().toString());
            ConfigException e = assertThrows(ConfigException.class, () -> algorithms.select(
                    YamlLoader.parse("type: sequentialrandom\nsampels: 3\n", "job.yml")));
            assertEquals("job.yml:2:1: sampels: unknown key 'sampels' in the search_algorithm section; did you mean 'samples'?",
                    e.getMessage().replaceAll(" \\(known:.*", ""));
            ConfigException tooFew = assertThrows(ConfigException.class, () -> algorithms.create(
                    YamlLoader.parse("type: SequentialRandom\nsamples: 0\n", "job.yml"), null));
            assertEquals("samples", tooFew.keyPath());
            assertEquals(2, tooFew.location().line());
        }
    }

    @Test
    void twoProvidersWithOneNameAreAnErrorNamingBothJars() throws Exception {
        Path copy = tmp.resolve("copy-of-plugins.jar");
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (URLClassLoader a = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
             URLClassLoader b = new URLClassLoader(new URL[] {copy.toUri().toURL()}, getClass().getClassLoader())) {
            List<AlgorithmProvider> both = new ArrayList<>(Algorithms.standard().providers());
            both.add(sequentialRandom(a));
            both.add(sequentialRandom(b));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Algorithms.of(both));
            assertTrue(e.getMessage().contains("two search algorithms answer to the name 'SequentialRandom'"), e.getMessage());
            assertTrue(e.getMessage().contains("user-plugins.jar") && e.getMessage().contains("copy-of-plugins.jar"), e.getMessage());
        }
    }

    private static AlgorithmProvider sequentialRandom(ClassLoader loader) {
        for (AlgorithmProvider p : ServiceLoader.load(AlgorithmProvider.class, loader)) {
            if (p.name().equals("SequentialRandom")) {
                return p;
            }
        }
        throw new AssertionError("no SequentialRandom in " + loader);
    }
}
