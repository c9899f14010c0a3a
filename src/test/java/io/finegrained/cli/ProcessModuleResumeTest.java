package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume of a search whose algorithm opens parameters of its own: PruneEA searches the
 * Prune's {@code chn_mask}, which the space does not list as open. The journal check compares
 * rows with the searcher's genes, so such a run resumes (it was refused as foreign before), and
 * a mask outside its domain is still refused naming its line.
 */
class ProcessModuleResumeTest {
    private static final String JOB = """
            search_space:
              type: FineGrainedSpace
              modules: ['resnet', 'process']
              resnet:
                type: ResNet
                depth: 20
                block: {type: BasicBlock}
                init_plane: 16
                out_plane: 64
                num_reps: 9
                items:
                  inchannel: [16, 16, 16, 16, 32, 32, 32, 64, 64]
                  outchannel: [16, 16, 16, 32, 32, 32, 64, 64, 64]
                  stride: [1, 1, 1, 2, 1, 1, 2, 1, 1]
              process: {type: Prune}
            search_algorithm: {type: PruneEA, population: 3, generations: 2, seed: 1}
            trial: {type: command, command: [/bin/sh, -c, 'echo {\\"accuracy\\": 0.5}'], timeout_s: 30}
            objectives: {accuracy: max}
            """;

    @TempDir
    Path tmp;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.err();

    private int search(Path job, Path run, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("search", job.toString(), "--output", run.toString(), "--master", "local[1]"));
        args.addAll(List.of(more));
        return Main.run(args.toArray(String[]::new));
    }

    @Test
    void aPruneEaRunResumesAndAForeignMaskIsRefused() throws Exception {
        Path job = tmp.resolve("job.yml");
        Files.writeString(job, JOB);
        Path run = tmp.resolve("run");
        assertEquals(0, search(job, run), err.toString());
        List<String> all = Files.readAllLines(run.resolve("trials.jsonl"));
        assertEquals(6, all.size());
        List<String> first = all.stream().filter(r -> r.contains("\"generation\":0,")).toList();
        assertEquals(3, first.size());
        assertTrue(first.get(0).contains("\"process.chn_mask\":[["), first.get(0));

        // The second generation lost: the resume replays the first and runs it again.
        Files.write(run.resolve("trials.jsonl"), first);
        err.reset();
        assertEquals(0, search(job, run, "--resume"), err.toString());
        List<String> resumed = Files.readAllLines(run.resolve("trials.jsonl"));
        assertEquals(6, resumed.size());
        assertEquals(first, resumed.subList(0, 3), "the journaled generation is kept as it was");
        assertEquals(all.stream().map(ProcessModuleResumeTest::values).sorted().toList(),
                resumed.stream().map(ProcessModuleResumeTest::values).sorted().toList(),
                "the replay proposes the same second generation");

        // A mask entry that is not 0/1 is still foreign.
        String foreign = first.get(1).replaceFirst("\"process.chn_mask\":\\[\\[\\d", "\"process.chn_mask\":[[7");
        Files.write(run.resolve("trials.jsonl"), List.of(first.get(0), foreign, first.get(2)));
        err.reset();
        assertEquals(2, search(job, run, "--resume"));
        assertTrue(err.toString().startsWith("finegrained: cannot resume: " + run.resolve("trials.jsonl") + ":2: trial "),
                err.toString());
        assertTrue(err.toString().contains("'process.chn_mask' is not in this run's search space"), err.toString());
    }

    /** A row's id and values, without its times. */
    private static String values(String row) {
        int start = row.indexOf("\"hyperparameters\"");
        return row.substring(0, row.indexOf(',')) + row.substring(start, row.indexOf("}", start));
    }
}
