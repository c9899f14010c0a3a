package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.JobConfig;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.nn.QuantizedExport;
import io.finegrained.space.Layer;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.ProcessModules;
import io.finegrained.space.SearchSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantized export of a trained network (real DJL, the embedded Fashion-MNIST): its integer
 * weights are the fake-quantized ones, and a forward pass computed from the exported files alone
 * (integer convolutions, then the scales) gives the logits of the network run with its calibrated
 * activation ranges.
 */
class QuantizedExportTest {
    /** c1 reads a batch norm's output (signed input), c2 a ReLU's (unsigned), c3 stays at 32 bits. */
    private static final String JOB = """
            search_space:
              modules: [stem, bn0, c1, bn1, relu1, c2, bn2, relu2, c3, relu3, pool, flat, fc, process]
              stem: {type: Conv2d, out_channels: 8, kernel_size: 3, padding: 1, bias: false}
              bn0: {type: BatchNorm2d}
              c1: {type: Conv2d, out_channels: 8, kernel_size: 3, padding: 1, bias: false}
              bn1: {type: BatchNorm2d}
              relu1: {type: ReLU}
              c2: {type: Conv2d, out_channels: 16, kernel_size: 3, stride: 2, padding: 1, bias: true}
              bn2: {type: BatchNorm2d}
              relu2: {type: ReLU}
              c3: {type: Conv2d, out_channels: 16, kernel_size: 3, padding: 1, bias: true}
              relu3: {type: ReLU}
              pool: {type: AdaptiveAvgPool2d}
              flat: {type: View}
              fc: {type: Linear, out_features: 10}
              process: {type: Quant, nbit_w_list: [4, 8, 32], nbit_a_list: [8, 4, 32]}
            trainer: {epochs: 2, batch_size: 100, lr: 0.05}
            """;
    private static final Map<String, int[]> STRIDE = Map.of("c1", new int[] {1, 1}, "c2", new int[] {2, 2});

    @TempDir
    Path dir;

    @Test
    @Tag("slow") // a real training (2 epochs of 2,000 images), then two forward passes of 500: 60-140 s on these loaded cores
    void integerWeightsAndCalibratedScalesReproduceTheTrainedNetwork() throws Exception {
        JobConfig job = JobConfig.parse(JOB, dir.resolve("job.yml"));
        ModuleSpec spec = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS).defaults();
        TrainerConfig cfg = TrainerConfig.from(job.section("trainer"));
        DatasetConfig dataset = DatasetConfig.embedded().withValidation(0.8); // 2,000 training images: quick
        LoadedData data = Datasets.load(dataset);
        long[] input = dataset.inputShape();
        Shape sample = new Shape(input);
        Path export = dir.resolve("model");
        TrainingOutcome trained = TrialTrainer.train(NetworkBuilder.build(spec, sample), input, cfg, data, Split.TEST, Device.cpu(),
                null, new ModelFiles(null, export, JOB));
        assertTrue(trained.ok(), trained.reason());
        assertTrue(trained.metrics().get("loss") < Math.log(10), "the network learned (chance's loss is ln 10): " + trained.metrics());

        JsonNode manifest = new ObjectMapper().readTree(export.resolve(QuantizedExport.MANIFEST_FILE).toFile());
        ByteBuffer bin = ByteBuffer.wrap(Files.readAllBytes(export.resolve(QuantizedExport.DATA_FILE))).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, JsonNode> tensors = new HashMap<>();
        long end = 0;
        for (JsonNode t : manifest.get("tensors")) {
            assertFalse(tensors.containsKey(t.get("name").asText()), "tensor listed twice: " + t);
            tensors.put(t.get("name").asText(), t);
            assertEquals(end, t.get("offset").asLong(), "tensors follow one another");
            end += t.get("bytes").asLong();
        }
        assertEquals(bin.capacity(), end, "the data file holds exactly the listed tensors");
        assertEquals(8, manifest.get("calibration").get("batches").asInt());

        // Every quantizable layer listed once, in forward order; bits as the Quant module gives them.
        Layer root = NetworkBuilder.expand(spec, sample, ModuleRegistry.forSpec(spec));
        List<String> quantizable = ProcessModules.quantizable(root).stream().map(Layer::path).toList();
        assertEquals(List.of("c1", "c2", "c3"), quantizable);
        List<String> listed = new ArrayList<>();
        Map<String, JsonNode> layers = new HashMap<>();
        for (JsonNode l : manifest.get("layers")) {
            listed.add(l.get("path").asText());
            layers.put(l.get("path").asText(), l);
        }
        assertEquals(quantizable, listed);
        assertEquals(4, layers.get("c1").get("weight_bits").asInt());
        assertEquals(4, layers.get("c2").get("activation_bits").asInt());
        assertTrue(layers.get("c1").get("activation").get("signed").asBoolean(), "c1 reads a batch norm's signed output");
        assertFalse(layers.get("c2").get("activation").get("signed").asBoolean(), "c2 reads a ReLU's output");
        assertEquals(0, layers.get("c2").get("activation").get("zero_point").asInt());
        assertEquals(15, layers.get("c2").get("activation").get("qmax").asInt());
        // 32 bits: the layer stays float, no activation grid.
        assertEquals(32, layers.get("c3").get("weight_bits").asInt());
        assertEquals("float32", tensors.get("c3_weight").get("dtype").asText());
        assertFalse(layers.get("c3").has("activation"));
        assertFalse(layers.get("c3").has("weight_scale"));

        try (Model model = Model.newInstance("trained"); Model fromFiles = Model.newInstance("reference")) {
            Block net = NetworkBuilder.build(spec, sample);
            model.setBlock(net);
            ModelExport.loadInto(model, export);
            NDManager m = model.getNDManager();
            Map<String, NDArray> params = new HashMap<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                params.put(p.getKey(), p.getValue().getArray());
            }
            Set<String> expectedNames = new HashSet<>(params.keySet());
            expectedNames.add("c1_weight_scale");
            expectedNames.add("c2_weight_scale");
            assertEquals(expectedNames, tensors.keySet(), "every parameter once, plus the weight scales");

            // Dequantized integers are the fake-quantized weights, and lie on the b-bit grid.
            for (String layer : List.of("c1", "c2")) {
                int bits = layers.get(layer).get("weight_bits").asInt();
                JsonNode w = tensors.get(layer + "_weight");
                assertEquals("int8", w.get("dtype").asText());
                NDArray ints = read(m, bin, w);
                NDArray scale = read(m, bin, tensors.get(layer + "_weight_scale"));
                int levels = (1 << (bits - 1)) - 1;
                assertTrue(ints.abs().max().getFloat() <= levels, layer + " integers within ±" + levels);
                // Per channel, the largest |w| maps to the top of the grid.
                assertEquals(levels, (int) ints.abs().reshape(ints.getShape().get(0), -1).max(new int[] {1}).min().getFloat());
                float[] dequantized = ints.mul(scale.reshape(-1, 1, 1, 1)).toFloatArray();
                float[] fake = fakeQuantized(params.get(layer + "_weight"), bits).toFloatArray();
                assertEquals(fake.length, dequantized.length);
                for (int i = 0; i < fake.length; i++) {
                    assertTrue(Math.abs(fake[i] - dequantized[i]) <= Math.ulp(fake[i]), layer + "[" + i + "]: " + fake[i] + " vs " + dequantized[i]);
                }
            }
            assertTrue(java.util.Arrays.equals(params.get("c3_weight").toFloatArray(), read(m, bin, tensors.get("c3_weight")).toFloatArray()),
                    "a 32-bit layer's weights are stored as they are");

            // The network's own logits with its calibrated (fixed) ranges: the same first 8 training batches.
            BatchAssembler train = new BatchAssembler(data, Split.TRAIN, false, cfg.batchSize());
            int[] order = TrainingLoop.identity(train.set().size());
            QuantizedExport.startCalibration(net);
            for (int b = 0; b < 8; b++) {
                forward(net, m, train.images(m, order, b * cfg.batchSize(), cfg.batchSize(), null));
            }
            QuantizedExport.finishCalibration(net);
            BatchAssembler test = new BatchAssembler(data, Split.TEST, false, 500);
            NDArray x = test.images(m, TrainingLoop.identity(test.set().size()), 0, 500, null);
            NDArray want = forward(net, m, x);
            QuantizedExport.clearCalibration(net);
            float[] perBatch = forward(net, m, x).toFloatArray();

            // The reference: a fresh network given the exported float tensors, run layer by layer,
            // the quantized layers as integer convolutions (x_int * w_int) rescaled by s_a * s_w.
            Block ref = NetworkBuilder.build(spec, sample);
            fromFiles.setBlock(ref);
            NDManager rm = fromFiles.getNDManager();
            ref.initialize(rm, DataType.FLOAT32, new Shape(1, input[0], input[1], input[2]));
            for (Pair<String, Parameter> p : ref.getParameters()) {
                JsonNode t = tensors.get(p.getKey());
                if (t.get("dtype").asText().equals("float32")) {
                    p.getValue().getArray().set(read(rm, bin, t).toFloatArray());
                }
            }
            NDArray current = x.duplicate();
            current.attach(rm);
            for (Pair<String, Block> child : ref.getChildren()) {
                JsonNode layer = layers.get(child.getKey());
                if (layer != null && layer.has("activation")) {
                    current = integerConvolution(rm, bin, tensors, layer, child.getKey(), current);
                } else {
                    current = child.getValue().forward(new ParameterStore(rm, false), new NDList(current), false).singletonOrThrow();
                }
            }
            float[] got = current.toFloatArray();
            float[] expected = want.toFloatArray();
            double diff = 0;
            double size = 0;
            double perBatchDiff = 0;
            for (int i = 0; i < expected.length; i++) {
                diff = Math.max(diff, Math.abs(got[i] - expected[i]));
                perBatchDiff = Math.max(perBatchDiff, Math.abs(perBatch[i] - expected[i]));
                size = Math.max(size, Math.abs(expected[i]));
            }
            NDArray gotArgmax = current.argMax(1);
            NDArray wantArgmax = want.argMax(1);
            int agree = (int) gotArgmax.toDevice(Device.cpu(), false).eq(wantArgmax.toDevice(Device.cpu(), false)).countNonzero().getLong();
            System.out.printf("reference vs calibrated network: max |diff| %.3g of max |logit| %.3g; per-batch ranges differ by %.3g;"
                    + " same class %d of 500%n", diff, size, perBatchDiff, agree);
            assertTrue(diff <= 1e-3 * size, "reference logits within 0.1 % of the calibrated network's: max diff " + diff + ", max logit " + size);
            assertTrue(agree >= 498, "same predicted class on " + agree + " of 500");
            assertTrue(perBatchDiff > diff, "the calibrated ranges are what the reference matches (per-batch ranges differ by "
                    + perBatchDiff + ", the reference by " + diff + ")");
        }
    }

    @Test
    void aNetworkAtFullPrecisionGetsNoQuantizedFiles() throws Exception {
        String full = JOB.replace("nbit_w_list: [4, 8, 32], nbit_a_list: [8, 4, 32]", "nbit_w_list: [32, 32, 32], nbit_a_list: [32, 32, 32]");
        ModuleSpec spec = SearchSpace.parse(JobConfig.parse(full, dir.resolve("full.yml")).section("search_space"), TrainerConfig.KEYS).defaults();
        Block block = NetworkBuilder.build(spec, new Shape(1, 28, 28));
        assertFalse(QuantizedExport.hasQuantizedLayers(block));
        ModuleSpec quantized = SearchSpace.parse(JobConfig.parse(JOB, dir.resolve("q.yml")).section("search_space"), TrainerConfig.KEYS).defaults();
        assertTrue(QuantizedExport.hasQuantizedLayers(NetworkBuilder.build(quantized, new Shape(1, 28, 28))));
        try (Model model = Model.newInstance("full")) {
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            QuantizedModels.export(dir, null, block, null, TrainerConfig.defaults(), new long[] {1, 28, 28}, full);
        }
        assertFalse(Files.exists(dir.resolve(QuantizedExport.MANIFEST_FILE)));
    }

    /** x_int = clip(round(x / s_a)), y = conv(x_int, w_int) * (s_a * s_w) + bias: what an integer kernel computes. */
    private static NDArray integerConvolution(NDManager m, ByteBuffer bin, Map<String, JsonNode> tensors, JsonNode layer, String name,
            NDArray x) {
        JsonNode a = layer.get("activation");
        float sa = (float) a.get("scale").asDouble();
        NDArray xInt = x.div(sa).round().clip(a.get("qmin").asInt(), a.get("qmax").asInt()).sub(a.get("zero_point").asInt());
        NDArray wInt = read(m, bin, tensors.get(layer.get("weight").asText()));
        NDArray sw = read(m, bin, tensors.get(layer.get("weight_scale").asText()));
        int[] s = STRIDE.get(name);
        NDArray acc = Conv2d.conv2d(xInt, wInt, null, new Shape(s[0], s[1]), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
        NDArray y = acc.mul(sw.mul(sa).reshape(1, -1, 1, 1));
        if (layer.has("bias")) {
            y = y.add(read(m, bin, tensors.get(layer.get("bias").asText())).reshape(1, -1, 1, 1));
        }
        return y;
    }

    /** A tensor of the data file as float32, by its manifest entry. */
    private static NDArray read(NDManager m, ByteBuffer bin, JsonNode t) {
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.get("shape").get(i).asLong();
        }
        int offset = t.get("offset").asInt();
        int n = (int) new Shape(shape).size();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (t.get("dtype").asText()) {
                case "int8" -> bin.get(offset + i);
                case "int16" -> bin.getShort(offset + 2 * i);
                case "int32" -> bin.getInt(offset + 4 * i);
                case "float32" -> bin.getFloat(offset + 4 * i);
                default -> throw new AssertionError(t);
            };
        }
        return m.create(v, new Shape(shape));
    }

    /** FakeQuantization.weights, restated here: per output channel, scale = max|w| / (2^(b-1) - 1). */
    private static NDArray fakeQuantized(NDArray w, int bits) {
        int levels = (1 << (bits - 1)) - 1;
        NDArray scale = w.abs().reshape(w.getShape().get(0), -1).max(new int[] {1}).reshape(-1, 1, 1, 1).div(levels).maximum(1e-12f);
        return w.div(scale).round().clip(-levels, levels).mul(scale);
    }

    private static NDArray forward(Block net, NDManager m, NDArray x) {
        return net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
    }
}
