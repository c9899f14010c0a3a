package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import io.finegrained.config.JobConfig;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.nn.QuantizedExport;
import io.finegrained.space.Layer;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.SearchSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The integer copy of an exported quantized network ({@link QuantizedExport}): a calibration
 * pass over the first {@value QuantizedExport#DEFAULT_CALIBRATION_BATCHES} batches of the
 * training split (in order, without augmentation, in inference mode, at the trainer's batch
 * size), then the manifest and the tensors beside the DJL export. A network without a layer
 * below 32 bits gets nothing. The ranges are cleared afterwards: the block goes back to
 * per-batch ranges, as it was.
 */
final class QuantizedModels {
    private QuantizedModels() {
    }

    static void export(Path dir, Trainer trainer, Block block, LoadedData data, TrainerConfig cfg, long[] inputShape,
            String resolvedYaml) throws IOException {
        if (!QuantizedExport.hasQuantizedLayers(block)) {
            return;
        }
        Layer root = layers(resolvedYaml, dir.resolve(ModelExport.YAML_FILE), inputShape);
        int batch = cfg.batchSize();
        BatchAssembler batches = new BatchAssembler(data, Split.TRAIN, false, batch);
        int n = batches.set().size();
        int[] order = TrainingLoop.identity(n);
        QuantizedExport.startCalibration(block);
        try {
            int done = 0;
            int images = 0;
            for (int from = 0; done < QuantizedExport.DEFAULT_CALIBRATION_BATCHES && from < n; from += batch, done++) {
                int count = Math.min(batch, n - from);
                try (NDManager arrays = trainer.getManager().newSubManager()) {
                    NDArray x = batches.images(arrays, order, from, count, null);
                    trainer.evaluate(new NDList(x));
                }
                images += count;
            }
            QuantizedExport.finishCalibration(block);
            Map<String, Object> calibration = new LinkedHashMap<>();
            calibration.put("split", "train");
            calibration.put("batches", done);
            calibration.put("batch_size", batch);
            calibration.put("images", images);
            calibration.put("order", "the first images of the training split, not shuffled, not augmented, inference mode");
            QuantizedExport.write(dir, block, root, calibration);
        } finally {
            QuantizedExport.clearCalibration(block);
        }
    }

    /** The expanded layers of the network an export's YAML describes. */
    static Layer layers(String resolvedYaml, Path file, long[] inputShape) {
        JobConfig job = JobConfig.parse(resolvedYaml, file);
        ModuleSpec spec = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS).defaults();
        return NetworkBuilder.expand(spec, new Shape(inputShape), ModuleRegistry.forSpec(spec));
    }
}
