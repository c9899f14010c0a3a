package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an {@code --output} location is read: paths and {@code file:} URIs are local, other schemes Hadoop's. */
class RunStoreTest {
    @TempDir
    Path tmp;

    @Test
    void aFileUriIsTheLocalFolderNotAFolderNamedFileColon() throws Exception {
        Path run = tmp.resolve("run");
        JobConfig config = JobConfig.parse("search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n",
                tmp.resolve("job.yml"));
        try (RunDirectory d = RunDirectory.open("file://" + run, config, false, null)) {
            assertTrue(d.isLocal());
            assertEquals(run, d.path());
            assertEquals(run.toString(), d.location());
            assertEquals(run.resolve("trials").toUri().toString(), d.trialsUri());
            d.writeTrialFile(4, "model/a.params", new java.io.ByteArrayInputStream(new byte[] {7}));
        }
        assertTrue(Files.exists(run.resolve(RunDirectory.MARKER_FILE)));
        assertEquals(1, Files.size(run.resolve("trials/4/model/a.params")));
        assertFalse(Files.exists(Path.of("file:")), "no folder named after the scheme");
    }

    @Test
    void plainPathsAreLocalAndOtherSchemesAreHadoops() {
        assertTrue(RunStore.of("runs/x").isLocal());
        assertTrue(RunStore.of("/abs/runs/x").isLocal());
        assertTrue(RunStore.of("file:/abs/runs/x").isLocal());
        assertEquals("/abs/runs/x", RunStore.of("file:///abs/runs/x").location());
        assertFalse(RunStore.isRemote("file:///abs/x"));
        assertTrue(RunStore.isRemote("hdfs://nn:8020/x"));
        RunRefusedException e = assertThrows(RunRefusedException.class, () -> RunStore.of("nope://bucket/runs/x"));
        assertTrue(e.getMessage().startsWith("the run directory nope://bucket/runs/x: no file system for the scheme 'nope'"),
                e.getMessage());
        e = assertThrows(RunRefusedException.class, () -> RunStore.of("file:relative/x"));
        assertTrue(e.getMessage().contains("a file: URI needs an absolute path"), e.getMessage());
    }

    @Test
    void aTrialFileNameMustStayInsideItsTrialFolder() throws Exception {
        JobConfig config = JobConfig.parse("search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n",
                tmp.resolve("job.yml"));
        try (RunDirectory d = RunDirectory.open(tmp.resolve("r"), config, false)) {
            assertThrows(IllegalArgumentException.class, () -> d.writeTrialFile(1, "../../escape", new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> d.writeTrialFile(1, "/etc/x", new byte[0]));
        }
    }
}
