package io.finegrained.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.SearchSpace;
import io.finegrained.space.SeedSpaces;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A few SGD steps on one fixed batch lower the loss of every distinct seed network. */
@Tag("slow") // DJL trainings of the seed networks
class SeedTrainingTest {

    @Test
    void sgdStepsOnOneBatchLowerTheLossOfEverySeedNetwork() throws Exception {
        Map<ModuleSpec, Path> distinct = new LinkedHashMap<>();
        for (Path file : SeedSpaces.allSeeds()) {
            SearchSpace space = SeedSpaces.load(file);
            // The backbones only: training through Quant and Prune is ProcessModulesTest's.
            ModuleSpec network = space.defaults();
            java.util.List<String> kept = new java.util.ArrayList<>();
            for (String id : network.getNames("modules")) {
                String type = network.getModule(id).type();
                if (type.equals("Quant") || type.equals("Prune")) {
                    network = network.without(id);
                } else {
                    kept.add(id);
                }
            }
            distinct.putIfAbsent(network.with("modules", kept), file);
        }
        for (Map.Entry<ModuleSpec, Path> e : distinct.entrySet()) {
            float[] losses = train(e.getKey(), 3);
            assertTrue(losses[losses.length - 1] < losses[0],
                    e.getValue() + ": loss went from " + losses[0] + " to " + losses[losses.length - 1]);
        }
    }

    private static float[] train(ModuleSpec spec, int steps) {
        int batch = 2;
        Shape input = new Shape(batch, 3, 32, 32);
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
        try (Model model = Model.newInstance("seed")) {
            model.setBlock(NetworkBuilder.build(spec, new Shape(3, 32, 32)));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(input);
                NDManager manager = trainer.getManager();
                NDArray x = manager.randomNormal(input);
                NDArray y = manager.create(new float[] {3, 7});
                float[] losses = new float[steps + 1];
                for (int i = 0; i <= steps; i++) {
                    try (NDManager step = manager.newSubManager()) {
                        NDList data = new NDList(x.duplicate());
                        data.attach(step);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray pred = trainer.forward(data).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(pred));
                            losses[i] = loss.toType(DataType.FLOAT32, false).getFloat();
                            if (i < steps) {
                                gc.backward(loss);
                            }
                        }
                        if (i < steps) {
                            trainer.step();
                        }
                    }
                }
                return losses;
            }
        }
    }
}
