package io.finegrained.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.finegrained.config.JobConfig;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.TrainerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of hand-made run directories: what the page holds, counted from the HTML itself. */
class ReportTest {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "."));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A journal row as the driver writes it, with the optional fields when {@code started} is given. */
    private static String row(int id, int generation, String status, Map<String, Object> values, Map<String, Object> metrics,
                              String error, Instant started, double seconds, String executor) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("generation", generation);
        n.put("status", status);
        n.set("hyperparameters", JSON.valueToTree(values));
        n.set("metrics", JSON.valueToTree(metrics));
        if (error == null) {
            n.putNull("error");
        } else {
            n.put("error", error);
        }
        n.put("seconds", seconds);
        if (started != null) {
            n.put("started", started.toString());
            n.put("finished", started.plusMillis((long) (seconds * 1000)).toString());
            n.put("executor", executor);
        }
        return n.toString() + "\n";
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String attribute(String html, String element, String name) {
        Matcher m = Pattern.compile("<" + element + "[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no " + name + " on <" + element + ">");
        return m.group(1);
    }

    /**
     * A command-trial run over two objectives (min f1, min f2) with known front {0, 1, 3}, a failed
     * trial whose reason holds markup, and times on two executors (one with two slots).
     */
    @Test
    void aRunWithTimesHasEveryPart(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.yml"), """
                search_algorithm: {type: NSGA2, population: 4, generations: 2, seed: 1}
                search_space:
                  hyper_parameters:
                    lr: {type: FLOAT_EXP, range: [0.0001, 0.1]}
                    code: [0, 1, 1, 0]
                trial: {type: command, command: [python3, x.py]}
                objectives: {f1: min, f2: min}
                """);
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        StringBuilder journal = new StringBuilder();
        double[][] points = {{1, 5}, {2, 3}, {3, 4}, {4, 1}, {5, 5}};
        String[] executors = {"exec-1", "exec-1", "exec-2", "exec-1", "exec-2"};
        double[] starts = {0, 0.5, 0, 4, 3};
        for (int i = 0; i < points.length; i++) {
            journal.append(row(i, i / 3, "OK", Map.of("lr", 0.001 * (i + 1), "code", List.of(0, 1, 1, 0)),
                    Map.of("f1", points[i][0], "f2", points[i][1]), null, t0.plusMillis((long) (starts[i] * 1000)), 2.5, executors[i]));
        }
        journal.append(row(5, 1, "FAILED", Map.of("lr", 0.05, "code", List.of(1, 1, 0, 0)), Map.of(),
                "exit 1: <b>boom</b> & more", t0.plusSeconds(6), 0.3, "exec-2"));
        journal.append("{\"id\": 6, \"generation\": 1, \"sta"); // torn last line: never counted
        Files.writeString(dir.resolve("trials.jsonl"), journal.toString());

        Path written = Report.write(dir);
        assertEquals(dir.resolve("report.html"), written);
        String html = Files.readString(written);

        assertEquals("6", attribute(html, "body", "data-trials"));
        assertEquals("5", attribute(html, "body", "data-ok"));
        assertEquals(5, count(html, "<circle class=\"pt"), "one point per OK trial");
        // the front of min f1, min f2 over the points: (1,5), (2,3), (4,1); (3,4) and (5,5) are dominated
        assertEquals(3, count(html, "<circle class=\"pt front\""));
        assertEquals("5", attribute(html, "svg class=\"chart scatter\"", "data-points"));
        assertEquals("3", attribute(html, "svg class=\"chart scatter\"", "data-front"));
        for (int id : new int[] {0, 1, 3}) {
            assertTrue(html.contains("<circle class=\"pt front\" data-id=\"" + id + "\""), "trial " + id + " on the front");
        }
        // hover: the point's title names its hyper-parameters
        Matcher title = Pattern.compile("data-id=\"1\"[^>]*><title>([^<]*)</title>").matcher(html);
        assertTrue(title.find());
        assertTrue(title.group(1).startsWith("#1 (generation 0), on the front\nf1 = 2\nf2 = 3\n"), title.group(1));
        assertTrue(title.group(1).contains("\nlr = 0.002") && title.group(1).contains("\ncode = 0110"), title.group(1));

        assertEquals(6, count(html, "<tr class=\"(ok|failed)"), "one table row per journal row");
        assertEquals(1, count(html, "<tr class=\"failed\""));
        assertTrue(html.contains("exit 1: &lt;b&gt;boom&lt;/b&gt; &amp; more"), "the reason, escaped");
        assertFalse(html.contains("<b>boom"));

        // the timeline: every timed trial a bar; exec-1 runs #0 and #1 side by side, so two lanes
        assertEquals("6", attribute(html, "svg class=\"chart timeline\"", "data-bars"));
        assertEquals("3", attribute(html, "svg class=\"chart timeline\"", "data-lanes"));
        assertEquals(1, count(html, "<rect class=\"bar failed\""));
        assertFalse(html.contains("no timeline"));
        // best so far: against trials and against time, for both objectives
        assertEquals(4, count(html, "<svg class=\"chart best\""));

        // self-contained: no external script, style sheet, image or font
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing fetched at view time");
        assertFalse(html.contains("<link"));
        assertTrue(html.contains("<script>") && html.contains("<style>"));
        assertNull(Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).findAny().orElse(null));
    }

    /**
     * Older journals lack started/finished/executor: the charts that need them say so; a long
     * journal is capped in the table, the front kept; three objectives give one scatter per pair.
     */
    @Test
    void anOldLongJournalWithThreeObjectives(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.yml"), """
                search_algorithm: {type: RandomSearch, samples: 700, seed: 1}
                search_space:
                  hyper_parameters:
                    x: {type: FLOAT, range: [0, 1]}
                trial: {type: command, command: [python3, x.py]}
                objectives: {a: min, b: max, c: min}
                """);
        StringBuilder journal = new StringBuilder();
        int n = 700;
        for (int i = 0; i < n; i++) {
            double x = i / (double) n;
            // a = x (min), b (max) = x for even trials and x/2 for odd ones, c (min) constant: every even
            // trial is on the front, an odd one i >= 3 is dominated by trial i - 1, trial 1 is not.
            journal.append(row(i, 0, "OK", Map.of("x", x), Map.of("a", x, "b", i % 2 == 0 ? x : x / 2, "c", 1.0), null, null, 1.0, null));
        }
        Files.writeString(dir.resolve("trials.jsonl"), journal.toString());
        String html = Files.readString(Report.write(dir));

        assertEquals(3, count(html, "<figure class=\"pair\""), "a × b, a × c, b × c");
        assertEquals(3, count(html, "<option value="));
        assertEquals(3 * n, count(html, "<circle class=\"pt"));
        assertTrue(html.contains("no timeline"));
        assertTrue(html.contains("no chart against time"));
        assertEquals(3, count(html, "<svg class=\"chart best\""), "against trials only");

        int front = n / 2 + 1;
        assertEquals(Integer.toString(front), attribute(html, "body", "data-front"));
        assertEquals(Html.MAX_ROWS, count(html, "<tr class=\"ok"));
        assertEquals(Integer.toString(Html.MAX_ROWS), attribute(html, "body", "data-rows"));
        assertTrue(html.contains(Html.MAX_ROWS + " of " + n + " trials shown"));
        assertEquals(front, count(html, "<tr class=\"ok front\""), "the front is kept in the table");
        assertTrue(html.contains("data-id=\"699\""), "the latest trial is kept");
    }

    /** A DJL space: the best trial's network as explain prints it, for the best trial's own values. */
    @Test
    void theBestNetworkIsTheBestTrials(@TempDir Path dir) throws IOException {
        String config = Files.readString(ROOT.resolve("conf/backbone_nas.yml"));
        Files.writeString(dir.resolve("config.yml"), config);
        SearchSpace space = SearchSpace.parse(JobConfig.parse(config, dir.resolve("config.yml")).section("search_space"), TrainerConfig.KEYS);
        NetworkAnalysis facts = new NetworkAnalysis(space, new long[] {1, 28, 28});
        List<Map<String, Object>> candidates = List.of(
                Map.of("layer.doublechannel", List.of(1, 1, 0, 0, 0), "layer.downsample", List.of(0, 0, 1, 1, 0)),
                Map.of("layer.doublechannel", List.of(0, 0, 0, 1, 1), "layer.downsample", List.of(1, 1, 0, 0, 0)));
        double[] accuracy = {0.9, 0.5};
        StringBuilder journal = new StringBuilder();
        List<Double> macs = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Map<String, Double> measured = facts.measure(candidates.get(i));
            macs.add(measured.get("macs"));
            journal.append(row(i, 0, "OK", candidates.get(i), Map.of("accuracy", accuracy[i], "macs", measured.get("macs"),
                    "params", measured.get("params")), null, null, 3.0, null));
        }
        Files.writeString(dir.resolve("trials.jsonl"), journal.toString());
        String html = Files.readString(Report.write(dir));
        int pre = html.indexOf("<pre class=\"modules\">");
        assertTrue(pre > 0, "a module table");
        String table = html.substring(pre, html.indexOf("</pre>", pre));
        assertTrue(table.contains("VariantLayer") && table.contains("LinearClassificationHead"), table);
        assertTrue(html.contains("Trial #0, the front's best accuracy"), "the most accurate trial of the front");
        String total = table.lines().filter(l -> l.startsWith("total")).findFirst().orElseThrow();
        assertTrue(total.endsWith(String.format(Locale.ROOT, "%,d", macs.get(0).longValue())), total + " vs " + macs);
        assertFalse(macs.get(0).equals(macs.get(1)), "the candidates differ in MACs, so the table is the best one's");
    }

    @Test
    void aForeignReportIsLeftAloneAndANonRunRefused(@TempDir Path dir) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Report.write(dir));
        Files.writeString(dir.resolve("trials.jsonl"), "");
        Files.writeString(dir.resolve("report.html"), "<html>mine</html>");
        assertThrows(IOException.class, () -> Report.write(dir));
        assertEquals("<html>mine</html>", Files.readString(dir.resolve("report.html")));
        Files.delete(dir.resolve("report.html"));
        String first = Files.readString(Report.write(dir));
        assertTrue(first.contains("0 trials") && first.contains("No trial is scored yet"));
        Report.write(dir); // our own file is replaced
    }

    @Test
    void theWriterIsThrottledAndNeverThrows(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("trials.jsonl"), "");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ReportWriter writer = new ReportWriter(dir, Duration.ofHours(1), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(writer.maybeWrite());
        assertFalse(writer.maybeWrite(), "within the interval");
        assertEquals(dir.resolve("report.html"), writer.finish());
        Files.delete(dir.resolve("trials.jsonl"));
        assertNull(writer.finish(), "a report that cannot be written");
        assertNull(writer.finish());
        String warnings = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(warnings, "warning:"), "one warning, however often it fails: " + warnings);
    }
}
