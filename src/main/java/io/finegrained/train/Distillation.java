package io.finegrained.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Knowledge distillation: the network learns from a trained teacher's logits as well as from the
 * labels (Hinton et al., 2015). The loss of a step is
 * {@code w · T² · KL(softmax(t/T) ‖ softmax(s/T)) + (1 − w) · CE(s, y)}: {@code T} softens both
 * distributions so the teacher's near-misses carry information, and {@code T²} keeps the
 * distillation term's gradients on the scale of the cross-entropy's. A pruned network fine-tuned
 * this way from its parent overfits less than on the labels alone (docs/compression.md).
 *
 * <p>The teacher runs in inference mode (batch norm on its running statistics), outside the
 * gradient collector, on the student's batch and device. One per training; closes its model.
 */
final class Distillation implements AutoCloseable {
    private final Model teacher;
    private final ParameterStore parameters;
    private final float temperature;
    private final float weight;

    private Distillation(Model teacher, float temperature, float weight) {
        this.teacher = teacher;
        this.parameters = new ParameterStore(teacher.getNDManager(), false);
        this.temperature = temperature;
        this.weight = weight;
    }

    /**
     * Loads the teacher.
     *
     * @param block the teacher's uninitialized network, built from its export's network.yml
     * @param exportDir a folder written by {@link ModelExport#save}
     */
    static Distillation load(Block block, Path exportDir, TrainerConfig cfg, Device device)
            throws IOException, MalformedModelException {
        Model model = Model.newInstance("teacher", device);
        try {
            model.setBlock(block);
            // Loading is all: initializing the loaded block again would draw some of this project's
            // modules' parameters afresh (they initialize in place).
            ModelExport.loadInto(model, exportDir);
            return new Distillation(model, (float) cfg.distillTemperature(), (float) cfg.distillWeight());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The teacher's logits for a batch, in the batch's manager; not recorded for gradients. */
    NDArray logits(NDManager batchArrays, NDArray images) {
        NDArray out = teacher.getBlock().forward(parameters, new NDList(images), false).singletonOrThrow();
        out.attach(batchArrays);
        return out;
    }

    /** The step's loss: the labels' cross-entropy blended with the distillation term. */
    NDArray loss(NDArray crossEntropy, NDArray studentLogits, NDArray teacherLogits) {
        if (!Arrays.equals(studentLogits.getShape().getShape(), teacherLogits.getShape().getShape())) {
            throw new IllegalArgumentException("the teacher (trainer.distill_from) gives logits of shape "
                    + teacherLogits.getShape() + ", the network " + studentLogits.getShape() + ": they must predict the same classes");
        }
        NDArray teacherLogP = teacherLogits.div(temperature).logSoftmax(1);
        NDArray studentLogP = studentLogits.div(temperature).logSoftmax(1);
        NDArray kl = teacherLogP.exp().mul(teacherLogP.sub(studentLogP)).sum(new int[] {1}).mean();
        return kl.mul(weight * temperature * temperature).add(crossEntropy.mul(1 - weight));
    }

    @Override
    public void close() {
        teacher.close();
    }
}
