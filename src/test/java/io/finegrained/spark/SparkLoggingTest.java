package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's own log lines stay off the console unless FINEGRAINED_SPARK_LOG asks for them. */
class SparkLoggingTest {

    /** Runs {@link SparkLogProbe} in a fresh JVM (log4j reads its configuration once per JVM); stdout + stderr. */
    private static String probe(Path dir, String level) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkLogProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(level + ".log").toFile());
        pb.environment().remove("FINEGRAINED_SPARK_LOG");
        if (!level.equals("default")) {
            pb.environment().put("FINEGRAINED_SPARK_LOG", level);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe finished");
        String out = Files.readString(dir.resolve(level + ".log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void offByDefaultBackWithTheVariable(@TempDir Path dir) throws Exception {
        String quiet = probe(dir, "default");
        assertTrue(quiet.contains("spark level OFF"), quiet);
        assertFalse(quiet.contains("probe: a Spark warning"), quiet);
        assertTrue(quiet.contains("probe: a finegrained warning"), "other warnings still show: " + quiet);
        assertFalse(quiet.contains(" INFO ") || quiet.contains(" WARN org.apache"), quiet);

        String loud = probe(dir, "warn");
        assertTrue(loud.contains("spark level WARN"), loud);
        assertTrue(loud.contains("WARN SparkContext: probe: a Spark warning"), loud);
        assertTrue(new File(dir.toFile(), "warn.log").length() > 0);
    }
}
