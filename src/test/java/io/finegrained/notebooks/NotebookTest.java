package io.finegrained.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import io.finegrained.spark.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * Runs both tour notebooks as a user would, cell by cell, in a Scala 2.12 REPL (the almond and
 * Zeppelin kernels are Scala 2.12 REPLs too) on a local Spark session: every cell must compile
 * and run, and the last cell's values must be what the notebook says. Cells that set up one
 * environment (first line {@code // environment-specific}) are replaced by the test's bindings
 * of {@code projectRoot} and {@code spark}; Zeppelin's {@code %md} and {@code %spark.conf}
 * paragraphs are not Scala.
 */
@Tag("slow") // the notebooks in a Scala REPL
class NotebookTest {
    private static final String ENVIRONMENT_MARK = "// environment-specific";
    private static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jupyterTourRuns() throws IOException {
        JsonNode notebook = JSON.readTree(ROOT.resolve("notebooks/finegrained-tour.ipynb").toFile());
        assertEquals("2.12.18", notebook.path("metadata").path("language_info").path("version").asText());
        List<String> cells = new ArrayList<>();
        for (JsonNode cell : notebook.path("cells")) {
            if (cell.path("cell_type").asText().equals("code")) {
                cells.add(joined(cell.path("source")));
            }
        }
        runTour(cells);
    }

    @Test
    void zeppelinTourRuns() throws IOException {
        JsonNode note = JSON.readTree(ROOT.resolve("notebooks/finegrained-tour.zpln").toFile());
        List<String> cells = new ArrayList<>();
        boolean jarsConfigured = false;
        for (JsonNode paragraph : note.path("paragraphs")) {
            String text = paragraph.path("text").asText();
            String first = text.lines().findFirst().orElse("").trim();
            if (first.equals("%spark.conf")) {
                jarsConfigured |= text.contains("spark.jars") && text.contains("finegrained-cluster.jar");
            } else if (first.equals("%spark")) {
                cells.add(text.substring(text.indexOf('\n') + 1));
            } else if (!first.equals("%md")) {
                throw new AssertionError("a paragraph for an interpreter the tour does not use: " + first);
            }
        }
        assertTrue(jarsConfigured, "the note puts the cluster jar in spark.jars");
        runTour(cells);
    }

    /** Runs the cells, skipping the environment's own, and checks the values the last cell reports. */
    private static void runTour(List<String> cells) {
        List<String> portable = cells.stream().filter(c -> !c.startsWith(ENVIRONMENT_MARK)).toList();
        assertTrue(cells.size() > portable.size(), "the environment's cells are marked");
        assertFalse(portable.stream().anyMatch(c -> c.contains(ENVIRONMENT_MARK)), "the mark is a cell's first line");
        StringWriter transcript = new StringWriter();
        IMain repl = repl(transcript);
        try {
            bind(repl, "projectRoot", "java.nio.file.Path", ROOT);
            bind(repl, "spark", "org.apache.spark.sql.SparkSession", TestSpark.session());
            for (String cell : portable) {
                int before = transcript.getBuffer().length();
                Results.Result result = repl.interpret(cell);
                assertEquals(Results.Success$.MODULE$, result,
                        () -> "cell failed:\n" + cell + "\n--- REPL said:\n" + transcript.getBuffer().substring(before));
            }
            // What the notebook's text claims: 3 x 2 trials, all journaled; a front of OK journal rows;
            // the variant network costs more MACs than the default one.
            assertEquals(6L, repl.valueOfTerm("trialCount").get());
            int frontSize = (Integer) repl.valueOfTerm("frontSize").get();
            assertTrue(frontSize >= 1, "a non-empty front");
            assertEquals((long) frontSize, repl.valueOfTerm("frontInJournal").get());
            double macsRatio = (Double) repl.valueOfTerm("macsRatio").get();
            assertTrue(macsRatio > 1, "the variant costs more MACs than the default: " + macsRatio);
        } finally {
            deleteWorkDir(repl);
            repl.close();
        }
    }

    private static IMain repl(StringWriter transcript) {
        Settings settings = new Settings();
        // Surefire's java.class.path may be a manifest-only jar: hand the compiler the real test classpath.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        settings.processArguments(scala.collection.JavaConverters.asScalaBuffer(
                List.of("-usejavacp", "-classpath", classpath)).toList(), true);
        settings.embeddedDefaults(NotebookTest.class.getClassLoader());
        return new IMain(settings, new PrintWriter(transcript, true));
    }

    /** The notebook's search writes into a temporary folder ({@code workDir}); the test removes it. */
    private static void deleteWorkDir(IMain repl) {
        scala.Option<Object> workDir = repl.valueOfTerm("workDir");
        if (workDir.isDefined()) {
            try (Stream<Path> files = Files.walk((Path) workDir.get())) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void bind(IMain repl, String name, String type, Object value) {
        Results.Result result = repl.bind(name, type, value, scala.collection.immutable.List$.MODULE$.empty());
        assertEquals(Results.Success$.MODULE$, result, "binding " + name);
    }

    private static String joined(JsonNode source) {
        if (source.isTextual()) {
            return source.asText();
        }
        StringBuilder text = new StringBuilder();
        source.forEach(line -> text.append(line.asText()));
        return text.toString();
    }
}
