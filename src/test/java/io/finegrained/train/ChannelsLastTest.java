package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelsLastTest {
    private static final DatasetConfig DATA = DatasetConfig.synthetic(4, 1, 12, 12, 400, 100);

    /** True when a reshape of the array copies, i.e. its memory is not in NCHW order. May zero the array. */
    private static boolean reshapeCopies(NDArray array) {
        try (NDArray flat = array.reshape(-1)) {
            flat.muli(0f); // writes through to the array only if the reshape was a view
        }
        return array.abs().sum().getFloat() > 0;
    }

    @Test
    void keepsShapeAndValuesButNotTheNchwMemoryOrder() {
        Engines.prepareThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = new float[2 * 3 * 2 * 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = i + 1;
            }
            NDArray channelsLast = ChannelsLast.of(manager.create(values, new Shape(2, 3, 2, 2)));
            assertEquals(new Shape(2, 3, 2, 2), channelsLast.getShape());
            assertArrayEquals(values, channelsLast.toFloatArray(), "values in logical (NCHW) order");
            assertTrue(reshapeCopies(channelsLast), "memory is laid out channels-last");

            NDArray contiguous = manager.create(values, new Shape(2, 3, 2, 2));
            assertTrue(!reshapeCopies(contiguous), "the probe tells a contiguous array apart");
        }
    }

    private static List<Pair<String, NDArray>> initialized(NDManager manager, boolean channelsLast) {
        Block block = TestNetworks.smallCnn(8, 4);
        if (channelsLast) {
            ChannelsLast.apply(block);
            ChannelsLast.apply(block); // idempotent: one re-layout, not two
        }
        Engine.getInstance().setRandomSeed(7);
        // 3 input channels: with one, NCHW and NHWC strides describe the same memory and the probe cannot tell
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 12, 12));
        List<Pair<String, NDArray>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(new Pair<>(p.getKey(), p.getValue().getArray()));
        }
        return out;
    }

    @Test
    void appliedToABlockReLaysOnlyFourDimensionalWeightsAndKeepsTheirValues() {
        Engines.prepareThread();
        try (NDManager manager = NDManager.newBaseManager()) {
        List<Pair<String, NDArray>> plain = initialized(manager, false);
        List<Pair<String, NDArray>> relaid = initialized(manager, true);
        assertEquals(plain.size(), relaid.size());
        int fourDimensional = 0;
        for (int i = 0; i < plain.size(); i++) {
            NDArray a = plain.get(i).getValue();
            NDArray b = relaid.get(i).getValue();
            assertEquals(a.getShape(), b.getShape(), plain.get(i).getKey());
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), plain.get(i).getKey() + ": same initial values");
            if (a.getShape().dimension() == 4) {
                fourDimensional++;
                assertTrue(reshapeCopies(b), plain.get(i).getKey() + " is channels-last");
            } else {
                assertTrue(!reshapeCopies(b), plain.get(i).getKey() + " keeps its layout");
            }
        }
        assertEquals(1, fourDimensional, "the convolution weight");
        }
    }

    @Test
    void trainsToTheSameResultAsTheContiguousLayout() {
        LoadedData data = Datasets.load(DATA);
        TrainerConfig cfg = TrainerConfig.defaults().withOverrides(Map.of("epochs", 1, "batch_size", 32, "lr", 0.05));
        TrainingOutcome channelsLast = TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(),
                cfg.withMemoryFormat(TrainerConfig.MemoryFormat.CHANNELS_LAST), data, Split.TEST, Device.cpu(), null);
        TrainingOutcome contiguous = TrialTrainer.train(TestNetworks.smallCnn(8, 4), DATA.inputShape(),
                cfg.withMemoryFormat(TrainerConfig.MemoryFormat.CONTIGUOUS), data, Split.TEST, Device.cpu(), null);
        assertTrue(channelsLast.ok() && contiguous.ok(), channelsLast.reason() + " / " + contiguous.reason());
        // the same arithmetic in another summation order: equal up to float rounding
        assertEquals(contiguous.metrics().get("loss"), channelsLast.metrics().get("loss"), 1e-3);
        assertEquals(contiguous.metrics().get("accuracy"), channelsLast.metrics().get("accuracy"), 0.011);
    }
}
