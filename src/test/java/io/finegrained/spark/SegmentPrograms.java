package io.finegrained.spark;

import io.finegrained.trial.TestPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;

/** The segment-contract test program ({@code src/test/resources/trials/SegmentProgram.java}), compiled once per JVM. */
public final class SegmentPrograms {
    private static Path classes;

    private SegmentPrograms() {
    }

    /** {@code java -cp <classes> SegmentProgram <budget> [ignore]}. */
    public static synchronized List<String> command(String... args) {
        if (classes == null) {
            Path root = Path.of(System.getProperty("project.root", "."));
            Path source = root.resolve("src/test/resources/trials/SegmentProgram.java");
            classes = root.resolve("target/test-programs");
            try {
                Files.createDirectories(classes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString()) != 0) {
                throw new IllegalStateException("cannot compile " + source);
            }
        }
        List<String> command = new ArrayList<>(List.of(TestPrograms.javaExecutable(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classes.toString(), "SegmentProgram"));
        command.addAll(List.of(args));
        return command;
    }
}
