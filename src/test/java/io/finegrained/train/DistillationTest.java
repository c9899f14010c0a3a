package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Knowledge distillation (trainer.distill_from) on real DJL trainings: the loss follows the
 * teacher by distill_weight — all labels at 0, all teacher at 1.
 */
class DistillationTest {
    private static final DatasetConfig DATA = DatasetConfig.synthetic(4, 1, 12, 12, 400, 100);

    @TempDir
    Path dir;

    private static TrainerConfig quick(Map<String, Object> overrides) {
        return TrainerConfig.defaults().withOverrides(Map.of("epochs", 2, "batch_size", 32, "lr", 0.05)).withOverrides(overrides);
    }

    private static TrainerConfig distilling(Path teacher, double weight) {
        return quick(Map.of("distill_weight", weight, "distill_temperature", 2.0)).withDistillFrom(teacher.toString());
    }

    private static TrainingOutcome train(TrainerConfig cfg, ModelFiles files, List<EpochStats> epochs) {
        return TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(), cfg, Datasets.load(DATA), Split.TEST,
                Device.cpu(), epochs == null ? null : epochs::add, files);
    }

    private static ModelFiles teacher(Path export, int classes) {
        return new ModelFiles(null, null, null, new ModelFiles.Teacher(TestNetworks.smallCnn(8, classes), export));
    }

    /** An export of a network as initialized, never trained: logits unrelated to the labels. */
    private Path untrainedExport(String name, int classes) throws Exception {
        Path out = dir.resolve(name);
        Block block = TestNetworks.smallCnn(8, classes);
        try (Model model = Model.newInstance("untrained", Device.cpu())) {
            model.setBlock(block);
            ai.djl.engine.Engine.getInstance().setRandomSeed(7);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 12, 12));
            ModelExport.save(out, block, "search_space: {}\n");
        }
        return out;
    }

    @Test
    void weightOneLearnsFromATrainedTeacherAloneAndWeightZeroIsPlainTraining() throws Exception {
        Path teacherDir = dir.resolve("teacher");
        TrainingOutcome taught = TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(), quick(Map.of()),
                Datasets.load(DATA), Split.TEST, Device.cpu(), null, new ModelFiles(null, teacherDir, "search_space: {}\n"));
        assertTrue(taught.ok(), taught.reason());

        TrainingOutcome fromTeacher = train(distilling(teacherDir, 1.0), teacher(teacherDir, 4), null);
        assertTrue(fromTeacher.ok(), fromTeacher.reason());
        assertTrue(fromTeacher.metrics().get("accuracy") > 0.8,
                "a student of a trained teacher learns without the labels: " + fromTeacher.metrics());

        List<EpochStats> plainEpochs = new ArrayList<>();
        List<EpochStats> zeroEpochs = new ArrayList<>();
        TrainingOutcome plain = train(quick(Map.of()), ModelFiles.NONE, plainEpochs);
        TrainingOutcome zero = train(distilling(teacherDir, 0.0), teacher(teacherDir, 4), zeroEpochs);
        assertEquals(plainEpochs.get(1).loss(), zeroEpochs.get(1).loss(), 1e-6, "weight 0: the labels' loss alone");
        assertEquals(plain.metrics().get("accuracy"), zero.metrics().get("accuracy"));
    }

    @Test
    void weightOneFollowsAnUntrainedTeacherNotTheLabels() throws Exception {
        Path random = untrainedExport("random", 4);
        TrainingOutcome out = train(distilling(random, 1.0), teacher(random, 4), null);
        assertTrue(out.ok(), out.reason());
        assertTrue(out.metrics().get("accuracy") < 0.6,
                "mimicking random logits, the student is near chance (0.25): " + out.metrics());
        TrainingOutcome mostlyLabels = train(distilling(random, 0.1), teacher(random, 4), null);
        assertTrue(mostlyLabels.metrics().get("accuracy") > 0.6,
                "with most of the loss from the labels it learns them: " + mostlyLabels.metrics());
    }

    @Test
    void aTeacherOfOtherClassesFailsTheTrainingNamingBothShapes() throws Exception {
        Path three = untrainedExport("three", 3);
        TrainingOutcome out = train(distilling(three, 0.9), teacher(three, 3), null);
        assertFalse(out.ok());
        assertTrue(out.reason().contains("trainer.distill_from") && out.reason().contains("(32, 3)")
                && out.reason().contains("(32, 4)"), out.reason());
    }
}
