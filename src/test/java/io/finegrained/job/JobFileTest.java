package io.finegrained.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which locations are remote, and which command elements a remote job cannot resolve. */
class JobFileTest {

    @Test
    void onlyAnotherFileSystemIsRemote() {
        assertTrue(JobFile.isRemote("hdfs://nn:8020/jobs/x.yml"));
        assertTrue(JobFile.isRemote("s3a://bucket/x.yml"));
        assertFalse(JobFile.isRemote("file:///tmp/x.yml"));
        assertFalse(JobFile.isRemote("conf/x.yml"));
        assertFalse(JobFile.isRemote("/abs/x.yml"));
        assertFalse(JobFile.isRemote("C:/jobs/x.yml"), "a drive letter is no scheme");
    }

    @Test
    void relativePathsInTheCommandAreNamedForARemoteJobOnly() {
        JobConfig config = JobConfig.fromString("search_space: {hyper_parameters: {lr: {type: FLOAT, range: [0.1, 1.0]}}}\n"
                + "trial: {type: command, command: [python3, train.py, ./run.sh, /opt/x.sh, --lr, '{lr}',"
                + " data/in, 'hdfs://nn/x']}\n", Path.of("/tmp"));
        List<String> notes = JobFile.notes("hdfs://nn/jobs/x.yml", config);
        assertEquals(3, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("warning: trial.command[1] 'train.py' is a relative path"), notes.get(0));
        assertTrue(notes.get(1).startsWith("warning: trial.command[2] './run.sh'"), notes.get(1));
        assertTrue(notes.get(2).startsWith("warning: trial.command[6] 'data/in'"), notes.get(2));
        assertEquals(List.of(), JobFile.notes("/jobs/x.yml", config), "a local job resolves them against its folder");
    }

    @Test
    void aProgramAloneIsLookedUpOnThePath() {
        assertFalse(JobFile.looksLikeRelativePath("python3", true));
        assertTrue(JobFile.looksLikeRelativePath("bin/train", true));
        assertFalse(JobFile.looksLikeRelativePath("train.py", true), "a program name, even with a dot");
        assertTrue(JobFile.looksLikeRelativePath("train.py", false));
        assertFalse(JobFile.looksLikeRelativePath("{x}", false));
    }
}
