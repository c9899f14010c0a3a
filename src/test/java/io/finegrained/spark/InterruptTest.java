package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.search.TrialResult;
import io.finegrained.trial.TestPrograms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) on a running job: a consistent journal, no program left running, a resumable run. */
@Tag("cluster") // a search job in a child JVM, interrupted
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void anInterruptedRunLeavesAConsistentJournalAndResumes() throws Exception {
        StringBuilder command = new StringBuilder();
        for (String part : TestPrograms.command("sleep", "1")) {
            command.append(command.length() > 0 ? ", " : "").append('"').append(part).append('"');
        }
        Path conf = tmp.resolve("job.yml");
        Files.writeString(conf, SearchRunTest.CONFIG + "trial:\n  type: command\n  command: [" + command + "]\n");
        Path run = tmp.resolve("run");

        List<String> java = new ArrayList<>(List.of(TestPrograms.javaExecutable()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(java::add);
        java.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), InterruptibleJob.class.getName(),
                conf.toString(), run.toString()));
        Process job = new ProcessBuilder(java).redirectErrorStream(true).redirectOutput(tmp.resolve("job.log").toFile()).start();
        Path journal = run.resolve(Journal.FILE_NAME);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<ProcessHandle> programs = List.of();
        // Signal while some trials are journaled and others are running.
        while ((Journal.read(journal).size() < 3 || programs.isEmpty()) && job.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            programs = job.descendants().toList();
        }
        assertFalse(programs.isEmpty(), "trials are running when the signal comes");
        new ProcessBuilder("kill", "-INT", Long.toString(job.pid())).start().waitFor();
        assertTrue(job.waitFor(60, TimeUnit.SECONDS), "the job ends after Ctrl-C");
        String log = Files.readString(tmp.resolve("job.log"));

        List<TrialResult> rows = Journal.read(journal);
        assertTrue(rows.size() >= 3 && rows.size() < 12, rows.size() + " rows\n" + log);
        assertTrue(Files.readString(journal).endsWith("\n"), "no torn line");
        assertTrue(log.contains("stopped: interrupted"), log);
        assertTrue(log.contains("--resume"), log);
        Thread.sleep(500);
        for (ProcessHandle program : programs) {
            assertFalse(program.isAlive(), "a trial's program outlived the job: " + program.info());
        }

        SearchRun.Summary resumed = new SearchJob(io.finegrained.job.Job.load(conf),
                c -> new SearchSetup(new TinyAlgorithm(3, 4, 3), SearchRunTest.OBJECTIVES, new SearchRun.Plan(3, 12)),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                .run(new SearchJob.Options(run, null, true));
        assertEquals(12 - rows.size(), resumed.ran());
        assertEquals(12, Journal.read(journal).size());
        assertEquals(12, Journal.read(journal).stream().map(TrialResult::id).distinct().count());
    }
}
