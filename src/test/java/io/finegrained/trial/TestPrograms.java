package io.finegrained.trial;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The test's command-trial program ({@code src/test/resources/trials/TrialProgram.java}),
 * compiled once per test JVM so each trial starts a plain {@code java -cp DIR TrialProgram}:
 * Java alone, no Python, and no per-trial compilation.
 */
public final class TestPrograms {
    private static Path classes;

    private TestPrograms() {
    }

    /** {@code java -cp <classes> TrialProgram <mode...>}. */
    public static synchronized List<String> command(String... mode) {
        if (classes == null) {
            classes = compile();
        }
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classes.toString(), "TrialProgram"));
        command.addAll(List.of(mode));
        return command;
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The program's source file. */
    public static Path source() {
        return Path.of(System.getProperty("project.root", "."), "src", "test", "resources", "trials", "TrialProgram.java");
    }

    private static Path compile() {
        try {
            Path out = Path.of(System.getProperty("project.root", "."), "target", "test-programs");
            Files.createDirectories(out);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "-d", out.toString(), source().toString());
            if (status != 0) {
                throw new IllegalStateException("cannot compile " + source());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
