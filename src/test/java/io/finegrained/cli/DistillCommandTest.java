package io.finegrained.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.train.ModelExport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer.distill_from} through the CLI: where the path resolves, what an export keeps, what is refused. */
class DistillCommandTest {
    private static final String TINY = TrainCommandTest.TINY;

    @TempDir
    Path dir;

    @Test
    void aRelativeTeacherIsFoundBesideTheJobFileAndTheExportNamesItAbsolutely() throws Exception {
        Path teacher = dir.resolve("jobs/teacher");
        Files.createDirectories(dir.resolve("jobs"));
        Path teacherJob = Files.writeString(dir.resolve("jobs/teacher.yml"), TINY + "trainer:\n  epochs: 1\n");
        String[] first = CliInJvm.run("train", teacherJob.toString(), "--output", teacher.toString());
        assertEquals("0", first[0], first[2]);

        Path studentJob = Files.writeString(dir.resolve("jobs/student.yml"), TINY.replace("init_plane: 8", "init_plane: 4")
                .replace("base_channel: 8", "base_channel: 4") + "trainer:\n  epochs: 1\n  distill_from: teacher\n  distill_weight: 0.5\n");
        Path student = dir.resolve("student");
        // Run from another folder: the path is the job file's neighbour, not the working directory's.
        String[] second = CliInJvm.run("train", studentJob.toString(), "--json", "--output", student.toString());
        assertEquals("0", second[0], second[2]);
        assertTrue(second[1].contains("\"status\":\"OK\""), second[1]);
        assertTrue(second[2].contains("distilling from " + teacher.toAbsolutePath().normalize() + " (T 4.0, weight 0.5)"), second[2]);
        String exported = Files.readString(student.resolve(ModelExport.YAML_FILE));
        assertTrue(exported.contains("distill_from: '" + teacher.toAbsolutePath().normalize() + "'"), exported);
        assertTrue(exported.contains("distill_weight: 0.5") && exported.contains("distill_temperature: 4.0"), exported);
    }

    @Test
    void aPyTorchFileOrAMissingTeacherIsRefusedAtItsKeyWithExitTwo() throws Exception {
        Path pth = Files.writeString(dir.resolve("pth.yml"), TINY + "trainer:\n  epochs: 1\n  distill_from: ./best.pth\n");
        String[] r = CliInJvm.run("train", pth.toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("pth.yml:13:") && r[2].contains("trainer.distill_from") && r[2].contains("PyTorch file"), r[2]);
        assertFalse(r[2].contains("\tat "), "no stack trace: " + r[2]);

        Path missing = Files.writeString(dir.resolve("missing.yml"), TINY.replace("  type: FineGrainedSpace\n",
                "  type: FineGrainedSpace\n  hyper_parameters:\n    trainer.lr: {type: FLOAT_EXP, range: [0.01, 0.1]}\n")
                + "trainer:\n  distill_from: nowhere\n");
        String[] m = CliInJvm.run("search", missing.toString(), "--output", dir.resolve("run").toString());
        assertEquals("2", m[0], m[2]);
        assertTrue(m[2].contains("missing.yml:14:") && m[2].contains("trainer.distill_from") && m[2].contains("nowhere"), m[2]);
        assertFalse(Files.exists(dir.resolve("run")), "refused before a run directory exists");
    }

    @Test
    void theDistillFromOptionOverridesTheFileAndIsRefusedByItsName() throws Exception {
        Path job = Files.writeString(dir.resolve("plain.yml"), TINY + "trainer:\n  epochs: 1\n  distill_from: nowhere\n");
        String[] r = CliInJvm.run("train", job.toString(), "--distill-from", dir.resolve("absent").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--distill-from: the model to distill from, " + dir.resolve("absent")), r[2]);
        assertFalse(r[2].contains("nowhere"), "the option wins over the file: " + r[2]);
    }

    @Test
    void distillationSettingsOutOfRangeAreRefusedAtTheirKey() throws Exception {
        Path job = Files.writeString(dir.resolve("t.yml"), TINY + "trainer:\n  distill_temperature: 0\n");
        String[] r = CliInJvm.run("train", job.toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("t.yml:12:") && r[2].contains("trainer.distill_temperature") && r[2].contains("(0, 100]"), r[2]);
    }
}
