package io.finegrained.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.finegrained.space.Layer;
import io.finegrained.space.ProcessModules;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployable form of a quantized network: each quantizable layer's weights as integers with
 * one scale per output channel, its input's scale and zero-point from a calibration pass, and
 * every other parameter (the stem, batch norms, the classifier, biases, layers left at 32 bits)
 * as float32. Two files beside the DJL export: {@value #MANIFEST_FILE} (what each tensor is, its
 * shape, type and place) and {@value #DATA_FILE} (the tensors, little-endian, one after the
 * other). The format is written down in docs/compression.md ("Quantized export").
 *
 * <p>Why a calibration pass: training and the search quantize each layer's input by the current
 * batch's own min and max ({@link FakeQuantization}), which a deployed network cannot do; the
 * pass runs a fixed number of training batches in inference mode, records each layer's input
 * range, and the network then uses those fixed ranges ({@link #startCalibration},
 * {@link #finishCalibration}), so the exported scales are the ones its logits were computed with.
 * Nothing here is an integer kernel: the network still runs fake-quantized float arithmetic.
 */
public final class QuantizedExport {
    public static final String MANIFEST_FILE = "quantized.json";
    public static final String DATA_FILE = "quantized.bin";
    /** Training batches of the calibration pass, by default. */
    public static final int DEFAULT_CALIBRATION_BATCHES = 8;
    public static final String FORMAT = "finegrained-quantized";
    public static final int VERSION = 1;

    private QuantizedExport() {
    }

    /** Whether the network has a layer quantized below 32 bits (weights or input): something to export. */
    public static boolean hasQuantizedLayers(Block block) {
        return !processed(block).isEmpty();
    }

    /**
     * From now on, every inference pass widens each quantized layer's input range to the batch's
     * values and quantizes with the range seen so far; training passes are unchanged.
     */
    public static void startCalibration(Block block) {
        for (ProcessedConv2d c : processed(block)) {
            c.calibrate(new ActivationRange());
        }
    }

    /** Fixes the ranges recorded since {@link #startCalibration}: inference then uses them, batch after batch. */
    public static void finishCalibration(Block block) {
        for (ProcessedConv2d c : processed(block)) {
            if (c.calibration() != null) {
                c.calibration().fix();
            }
        }
    }

    /** Back to each batch's own range (what training and the search's scoring use). */
    public static void clearCalibration(Block block) {
        for (ProcessedConv2d c : processed(block)) {
            c.calibrate(null);
        }
    }

    /**
     * Writes {@value #MANIFEST_FILE} and {@value #DATA_FILE} into {@code dir}.
     *
     * @param block the initialized network, calibrated ({@link #finishCalibration})
     * @param root the expanded layers it was built from: which layers are quantizable, and their bits
     * @param calibration what the calibration pass was (batches, batch size, split), written as given
     * @throws IllegalStateException when a layer with quantized input was not calibrated
     */
    public static void write(Path dir, Block block, Layer root, Map<String, Object> calibration) throws IOException {
        Map<Parameter, ProcessedConv2d> byWeight = new IdentityHashMap<>();
        for (ProcessedConv2d c : processed(block)) {
            byWeight.put(c.weightParameter(), c);
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
        Map<String, long[]> bits = ProcessModules.bitWidths(root);
        Tensors tensors = new Tensors();
        List<Map<String, Object>> layers = new ArrayList<>();
        java.util.Set<String> written = new java.util.HashSet<>();
        try (NDManager scratch = NDManager.newBaseManager()) {
            for (Map.Entry<String, long[]> e : bits.entrySet()) {
                String prefix = e.getKey().replace('.', '_') + "_";
                Parameter weight = parameters.get(prefix + "weight");
                if (weight == null) {
                    throw new IllegalStateException("no parameter " + prefix + "weight for the quantizable layer " + e.getKey());
                }
                ProcessedConv2d conv = byWeight.get(weight);
                int wb = conv == null ? 32 : conv.weightBits();
                int ab = conv == null ? 32 : conv.activationBits();
                Map<String, Object> layer = new LinkedHashMap<>();
                layer.put("path", e.getKey());
                layer.put("weight_bits", wb);
                layer.put("activation_bits", ab);
                NDArray w = weight.getArray().toDevice(ai.djl.Device.cpu(), true);
                w.attach(scratch);
                if (FakeQuantization.quantizes(wb)) {
                    NDArray[] grid = FakeQuantization.weightGrid(w, wb);
                    layer.put("weight", tensors.integers(prefix + "weight", grid[0], wb));
                    layer.put("weight_scale", tensors.floats(prefix + "weight_scale", grid[1].reshape(-1)));
                } else {
                    layer.put("weight", tensors.floats(prefix + "weight", w));
                }
                written.add(prefix + "weight");
                Parameter bias = conv == null ? parameters.get(prefix + "bias") : conv.biasParameter();
                if (bias != null && bias.getArray() != null) {
                    layer.put("bias", prefix + "bias");
                }
                if (FakeQuantization.quantizes(ab)) {
                    ActivationRange range = conv.calibration();
                    if (range == null || !range.observed()) {
                        throw new IllegalStateException("the input of " + e.getKey() + " was not calibrated");
                    }
                    FakeQuantization.ActivationGrid g = range.grid(ab);
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("scale", g.scale());
                    a.put("zero_point", 0);
                    a.put("qmin", g.qmin());
                    a.put("qmax", g.qmax());
                    a.put("signed", g.signed());
                    a.put("binary", g.binary());
                    a.put("calibrated_min", range.min());
                    a.put("calibrated_max", range.max());
                    layer.put("activation", a);
                }
                layers.add(layer);
            }
            for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
                if (!written.contains(p.getKey()) && p.getValue().getArray() != null) {
                    NDArray v = p.getValue().getArray().toDevice(ai.djl.Device.cpu(), true);
                    v.attach(scratch);
                    tensors.floats(p.getKey(), v);
                }
            }
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("version", VERSION);
        manifest.put("data_file", DATA_FILE);
        manifest.put("byte_order", "little_endian");
        manifest.put("simulated_during_training", true);
        manifest.put("calibration", calibration);
        manifest.put("layers", layers);
        manifest.put("tensors", tensors.entries);
        Files.createDirectories(dir);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(DATA_FILE)))) {
            for (byte[] b : tensors.data) {
                out.write(b);
            }
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(MANIFEST_FILE).toFile(), manifest);
    }

    /** The tensors written so far: their manifest entries and their bytes, in file order. */
    private static final class Tensors {
        final List<Map<String, Object>> entries = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();
        long offset;

        /** Integer values held as floats, stored in the smallest of int8 / int16 / int32 that holds b bits. */
        String integers(String name, NDArray values, int bits) {
            float[] v = values.toFloatArray();
            String dtype = bits <= 8 ? "int8" : bits <= 16 ? "int16" : "int32";
            int width = bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
            ByteBuffer b = ByteBuffer.allocate(v.length * width).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                int i = Math.round(f);
                if (width == 1) {
                    b.put((byte) i);
                } else if (width == 2) {
                    b.putShort((short) i);
                } else {
                    b.putInt(i);
                }
            }
            return add(name, dtype, values.getShape().getShape(), b.array());
        }

        String floats(String name, NDArray values) {
            float[] v = values.toFloatArray();
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                b.putFloat(f);
            }
            return add(name, "float32", values.getShape().getShape(), b.array());
        }

        private String add(String name, String dtype, long[] shape, byte[] bytes) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", name);
            e.put("dtype", dtype);
            e.put("shape", shape);
            e.put("offset", offset);
            e.put("bytes", bytes.length);
            entries.add(e);
            data.add(bytes);
            offset += bytes.length;
            return name;
        }
    }

    /** The network's quantized convolutions, in the order the block tree lists them. */
    private static List<ProcessedConv2d> processed(Block block) {
        List<ProcessedConv2d> out = new ArrayList<>();
        collect(block, out);
        return out;
    }

    private static void collect(Block block, List<ProcessedConv2d> out) {
        if (block instanceof ProcessedConv2d c) {
            out.add(c);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), out);
        }
    }
}
