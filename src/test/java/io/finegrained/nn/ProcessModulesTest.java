package io.finegrained.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.space.NetworkSummary;
import io.finegrained.space.SearchSpace;
import io.finegrained.space.SeedSpaces;
import io.finegrained.train.Engines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Quant (fake quantization, straight-through gradients) and Prune (channel masks) in the built DJL network. */
class ProcessModulesTest {
    private static final Shape SAMPLE = new Shape(3, 16, 16);
    private static final long[] SAMPLE_DIMS = {3, 16, 16};
    private static final Shape BATCH = new Shape(4, 3, 16, 16);
    private static final int QUANTIZABLE = 20; // ResNet-20: 18 block convolutions + 2 shortcuts

    private static final SearchSpace PLAIN = SeedSpaces.text("""
            search_space:
              modules: [resnet]
              resnet: {type: ResNet, depth: 20}
            """);
    private static final SearchSpace QUANT = SeedSpaces.text("""
            search_space:
              modules: [resnet, process]
              resnet: {type: ResNet, depth: 20}
              process: {type: Quant}
            """);
    private static final SearchSpace PRUNE = SeedSpaces.text("""
            search_space:
              modules: [resnet, process]
              resnet: {type: ResNet, depth: 20}
              process: {type: Prune}
            """);

    @Test
    void quantAt32BitsComputesWhatTheNetworkWithoutQuantComputes() {
        List<Integer> full = Collections.nCopies(QUANTIZABLE, 32);
        Block quant32 = NetworkBuilder.build(quantSpec(full, full), SAMPLE);
        Block twoBitWeights = NetworkBuilder.build(quantSpec(Collections.nCopies(QUANTIZABLE, 2), full), SAMPLE);
        Block plain = NetworkBuilder.build(PLAIN.defaults(), SAMPLE);
        assertEquals(0, processedConvolutions(quant32).size());
        assertEquals(QUANTIZABLE, processedConvolutions(twoBitWeights).size());
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(manager, plain, quant32, twoBitWeights);
            assertEquals(names(plain), names(quant32), "parameter names");
            assertEquals(names(plain), names(twoBitWeights), "parameter names");
            copyParameters(plain, quant32);
            copyParameters(plain, twoBitWeights);
            NDArray x = manager.randomNormal(BATCH);
            for (boolean training : new boolean[] {false, true}) {
                NDArray expected = forward(manager, plain, x, training);
                assertEquals(0f, expected.sub(forward(manager, quant32, x, training)).abs().max().getFloat(), "training=" + training);
                float diff = expected.sub(forward(manager, twoBitWeights, x, training)).abs().max().getFloat();
                assertTrue(diff > 1e-3f, "2-bit weights change the output; max difference " + diff);
            }
        }
    }

    @Test
    void aQuantizedWeightHasAtMostTwoToTheBitsValuesPerOutputChannel() {
        Block plain = NetworkBuilder.build(PLAIN.defaults(), SAMPLE);
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(manager, plain);
            NDArray w = plain.getParameters().get("resnet_layers_3_add_body_conv1_weight").getArray();
            assertEquals(4, w.getShape().dimension());
            for (int bits : new int[] {1, 2, 3, 4, 8}) {
                NDArray q = FakeQuantization.weights(w, bits);
                int largest = 0;
                for (long c = 0; c < w.getShape().get(0); c++) {
                    largest = Math.max(largest, distinct(q.get(c)));
                }
                assertTrue(largest <= 1 << bits, bits + " bits: " + largest + " distinct values in one output channel");
                if (bits <= 4) { // 144 weights per channel fill a small grid, not 8 bits' 255 levels
                    assertTrue(largest > 1 << (bits - 1) || bits == 1 && largest == 2, bits + " bits use the grid: " + largest);
                }
                float error = q.sub(w).abs().max().getFloat();
                float range = w.abs().max().getFloat();
                assertTrue(bits == 1 || error <= range / ((1 << (bits - 1)) - 1) / 2 * 1.0001f, bits + " bits: error " + error);
            }
            assertEquals(w, FakeQuantization.weights(w, 32), "32 bits leave the weights alone");
        }
    }

    @Test
    void activationsUseAnUnsignedGridAfterAReluAndASignedOneOtherwise() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray signed = manager.randomNormal(new Shape(2, 4, 5, 5));
            NDArray relu = signed.maximum(0f);
            for (int bits : new int[] {1, 2, 4}) {
                NDArray u = FakeQuantization.activations(relu, bits);
                assertTrue(distinct(u) <= 1 << bits, "unsigned " + bits + " bits");
                assertTrue(u.min().getFloat() >= 0f, "unsigned stays non-negative");
                // The unsigned grid's top is the batch maximum: all 2^b levels available.
                assertEquals(relu.max().getFloat(), u.max().getFloat(), 1e-6f);
                NDArray s = FakeQuantization.activations(signed, bits);
                assertTrue(distinct(s) <= 1 << bits, "signed " + bits + " bits");
                assertTrue(s.min().getFloat() < 0f, "signed keeps negative values");
            }
            NDArray again = FakeQuantization.activations(signed, 3);
            assertEquals(FakeQuantization.activations(signed, 3), again, "deterministic");
            assertEquals(signed, FakeQuantization.activations(signed, 32));
        }
    }

    @Test
    void theStraightThroughEstimatorPassesTheGradientUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.randomNormal(new Shape(3, 2, 3, 3));
            NDArray x = manager.randomNormal(new Shape(2, 3, 4, 4));
            w.setRequiresGradient(true);
            x.setRequiresGradient(true);
            NDArray upstream = manager.randomNormal(new Shape(3, 2, 3, 3));
            NDArray upstreamX = manager.randomNormal(new Shape(2, 3, 4, 4));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = FakeQuantization.weights(w, 2).mul(upstream).sum()
                        .add(FakeQuantization.activations(x, 2).mul(upstreamX).sum());
                gc.backward(loss);
            }
            assertEquals(0f, w.getGradient().sub(upstream).abs().max().getFloat(), 1e-6f);
            assertEquals(0f, x.getGradient().sub(upstreamX).abs().max().getFloat(), 1e-6f);
        }
    }

    @Test
    void sgdStepsOnAFixedBatchLowerTheLossOfAFourBitNetwork() {
        List<Integer> four = Collections.nCopies(QUANTIZABLE, 4);
        Block net = NetworkBuilder.build(quantSpec(four, four), SAMPLE);
        assertEquals(QUANTIZABLE, processedConvolutions(net).size());
        Loss loss = Loss.softmaxCrossEntropyLoss();
        Engines.prepareThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            initialize(manager, net);
            NDArray x = manager.randomNormal(new Shape(8, 3, 16, 16));
            NDArray labels = manager.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7});
            ParameterStore store = new ParameterStore(manager, false);
            float first = Float.NaN;
            float last = Float.NaN;
            for (int step = 0; step < 6; step++) {
                try (NDManager batch = manager.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
                        NDArray l = loss.evaluate(new NDList(labels), new NDList(logits));
                        float value = l.getFloat();
                        first = step == 0 ? value : first;
                        last = value;
                        gc.backward(l);
                    }
                    // Plain SGD, outside the collector (grad mode off, see Engines.prepareThread).
                    for (Pair<String, Parameter> p : net.getParameters()) {
                        NDArray a = p.getValue().getArray();
                        if (p.getValue().requiresGradient()) {
                            NDArray g = a.getGradient();
                            if (p.getKey().equals("resnet_layers_3_add_body_conv1_weight")) {
                                assertTrue(g.abs().sum().getFloat() > 0f, "a quantized weight gets a gradient");
                            }
                            a.subi(g.mul(0.05f));
                            g.subi(g);
                        }
                    }
                }
            }
            assertTrue(Float.isFinite(last) && last < first * 0.8f, "loss " + first + " -> " + last);
        }
    }

    @Test
    void aPruneMaskComputesWhatTheNarrowNetworkComputes() {
        // Keep the first channels of every group: the narrow network's parameters are then the
        // masked network's leading slices, and the two must compute the same logits.
        List<Integer> widths = new NetworkAnalysis(PRUNE, SAMPLE_DIMS).prunableChannels();
        List<List<Integer>> mask = NarrowResNet20.mask(widths, false);
        Block masked = NetworkBuilder.buildMasked(PRUNE.resolve(Map.of("process.chn_mask", mask)), SAMPLE);
        SearchSpace narrowSpace = NarrowResNet20.space();
        Block narrow = NetworkBuilder.build(narrowSpace.defaults(), SAMPLE);
        Block unmasked = NetworkBuilder.build(PLAIN.defaults(), SAMPLE);
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(manager, masked, narrow, unmasked);
            for (Pair<String, Parameter> p : masked.getParameters()) {
                // Non-trivial running statistics, so inference mode checks them too.
                NDArray a = p.getValue().getArray();
                if (p.getKey().endsWith("runningVar")) {
                    a.set(manager.randomUniform(0.5f, 2f, a.getShape()).toFloatArray());
                } else if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("beta")) {
                    a.set(manager.randomNormal(a.getShape()).mul(0.1f).toFloatArray());
                }
            }
            copyParameters(masked, unmasked);
            for (Pair<String, Parameter> p : narrow.getParameters()) {
                NDArray target = p.getValue().getArray();
                NDArray source = masked.getParameters().get(p.getKey()).getArray();
                StringBuilder index = new StringBuilder();
                for (long d : target.getShape().getShape()) {
                    index.append(index.length() == 0 ? "" : ", ").append("0:").append(d);
                }
                target.set(source.get(new NDIndex(index.toString())).toFloatArray());
            }
            NDArray x = manager.randomNormal(BATCH);
            for (boolean training : new boolean[] {false, true}) {
                NDArray want = forward(manager, narrow, x, training);
                NDArray got = forward(manager, masked, x, training);
                float diff = want.sub(got).abs().max().getFloat();
                assertTrue(diff < 1e-4f * Math.max(1f, want.abs().max().getFloat()), "training=" + training + ": max difference " + diff);
                float unmaskedDiff = want.sub(forward(manager, unmasked, x, training)).abs().max().getFloat();
                assertTrue(unmaskedDiff > 1e-3f, "the mask matters: " + unmaskedDiff);
            }
        }
    }

    @Test
    void theNarrowNetworkWithTheParentsKeptWeightsGivesTheMaskedParentsLogits() {
        // Kept channels at shuffled places: the copy must pick them, not the leading slices.
        List<Integer> widths = new NetworkAnalysis(PRUNE, SAMPLE_DIMS).prunableChannels();
        ModuleSpec spec = PRUNE.resolve(Map.of("process.chn_mask", NarrowResNet20.mask(widths, true)));
        Block masked = NetworkBuilder.buildMasked(spec, SAMPLE);
        Block narrow = NetworkBuilder.build(spec, SAMPLE);
        Block handWritten = NetworkBuilder.build(NarrowResNet20.space().defaults(), SAMPLE);
        Engines.prepareThread();
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(manager, masked, narrow, handWritten);
            randomizeStatistics(manager, masked);
            for (Pair<String, Parameter> p : narrow.getParameters()) {
                assertEquals(handWritten.getParameters().get(p.getKey()).getArray().getShape(), p.getValue().getArray().getShape(),
                        "the narrow network has the hand-written widths: " + p.getKey());
            }
            assertEquals(names(handWritten), names(narrow));
            assertTrue(narrow.getParameters().get("resnet_layers_0_add_body_conv1_weight").getArray().getShape().get(0) == 10);
            Map<String, io.finegrained.space.KeptChannels> kept = io.finegrained.space.ProcessModules.keptChannels(
                    NetworkBuilder.expand(spec, SAMPLE, io.finegrained.space.ModuleRegistry.forSpec(spec)));
            WeightTransfer.copy(masked, narrow, kept);
            NDArray x = manager.randomNormal(BATCH);
            for (boolean training : new boolean[] {false, true}) {
                NDArray want = forward(manager, masked, x, training);
                NDArray got = forward(manager, narrow, x, training);
                float diff = want.sub(got).abs().max().getFloat();
                // float32 sums over fewer terms in another order: 1e-4 relative to the logits' size.
                assertTrue(diff < 1e-4f * Math.max(1f, want.abs().max().getFloat()), "training=" + training + ": max difference " + diff);
            }
            // Copying a network that does not fit names the parameter and both shapes.
            WeightTransfer.Mismatch e = assertThrows(WeightTransfer.Mismatch.class, () -> WeightTransfer.copy(narrow, masked, Map.of()));
            assertTrue(e.getMessage().matches("parameter resnet_\\S+ has shape \\(\\d.*\\) in the model but \\(\\d.*\\) in the network"),
                    e.getMessage());
        }
    }

    @Test
    void explainOfAPrunedNetworkEqualsTheSameWidthsWrittenByHand() {
        List<Integer> widths = new NetworkAnalysis(PRUNE, SAMPLE_DIMS).prunableChannels();
        for (boolean shuffled : new boolean[] {false, true}) {
            NetworkSummary pruned = NetworkAnalyzer.analyze(PRUNE.resolve(Map.of("process.chn_mask", NarrowResNet20.mask(widths, shuffled))),
                    SAMPLE_DIMS);
            NetworkSummary hand = NetworkAnalyzer.analyze(NarrowResNet20.space().defaults(), SAMPLE_DIMS);
            assertEquals(hand.params(), pruned.params());
            assertEquals(hand.macs(), pruned.macs());
            assertTrue(pruned.macs() < 0.6 * NetworkAnalyzer.analyze(PLAIN.defaults(), SAMPLE_DIMS).macs());
            // Module by module (the Prune's own row apart): same names, types, shapes and counts.
            List<NetworkSummary.Row> rows = pruned.rows().stream().filter(r -> !r.name().startsWith("process")).toList();
            assertEquals(hand.rows().size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                NetworkSummary.Row h = hand.rows().get(i);
                NetworkSummary.Row p = rows.get(i);
                String what = h.name() + " (shuffled " + shuffled + ")";
                assertEquals(h.name(), p.name(), what);
                assertEquals(java.util.Arrays.toString(h.outputShape()), java.util.Arrays.toString(p.outputShape()), what);
                assertEquals(h.params(), p.params(), what);
                assertEquals(h.macs(), p.macs(), what);
            }
        }
    }

    private static void randomizeStatistics(NDManager manager, Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            // Non-trivial running statistics and biases, so inference mode checks them too.
            NDArray a = p.getValue().getArray();
            if (p.getKey().endsWith("runningVar")) {
                a.set(manager.randomUniform(0.5f, 2f, a.getShape()).toFloatArray());
            } else if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("beta")) {
                a.set(manager.randomNormal(a.getShape()).mul(0.1f).toFloatArray());
            }
        }
    }

    @Test
    void maskedChannelsAreZeroAndGetNoGradient() {
        List<Integer> widths = new NetworkAnalysis(PRUNE, SAMPLE_DIMS).prunableChannels();
        List<List<Integer>> mask = new ArrayList<>();
        widths.forEach(w -> mask.add(new ArrayList<>(Collections.nCopies(w, 1))));
        Set<Integer> removed = Set.of(1, 5, 6, 15);
        // Groups in order of first appearance: 0 is stage 1 (stem and first blocks' outputs), 1 the
        // first block's inner width.
        removed.forEach(c -> mask.get(1).set(c, 0));
        Block net = NetworkBuilder.buildMasked(PRUNE.resolve(Map.of("process.chn_mask", mask)), SAMPLE);
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(manager, net);
            NDArray x = manager.randomNormal(BATCH);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                gc.backward(out.square().sum());
            }
            // conv1 produces group 1, conv2 reads it: dL/dW2[:, c] sums the activation of channel c.
            NDArray conv1 = net.getParameters().get("resnet_layers_0_add_body_conv1_weight").getArray().getGradient();
            NDArray conv2 = net.getParameters().get("resnet_layers_0_add_body_conv2_weight").getArray().getGradient();
            for (int c = 0; c < 16; c++) {
                float g1 = conv1.get(c).abs().sum().getFloat();
                float g2 = conv2.get(new NDIndex(":, " + c)).abs().sum().getFloat();
                if (removed.contains(c)) {
                    assertEquals(0f, g1, "conv1 filter " + c);
                    assertEquals(0f, g2, "conv2 input channel " + c + ": its activation is 0");
                } else {
                    assertTrue(g1 > 0f && g2 > 0f, "kept channel " + c);
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(1f, 2f, new Shape(2, 4, 3, 3));
            NDArray m = new ChannelMask(new float[] {1, 0, 1, 0}).apply(a);
            assertEquals(a.get(":, 0"), m.get(":, 0"));
            assertEquals(0f, m.get(":, 1").abs().sum().getFloat());
            assertEquals(0f, m.get(":, 3").abs().sum().getFloat());
        }
    }

    @Test
    void anAllOnesMaskIsTheNetworkWithoutPrune() {
        List<List<Integer>> all = new ArrayList<>();
        new NetworkAnalysis(PRUNE, SAMPLE_DIMS).prunableChannels().forEach(w -> all.add(Collections.nCopies(w, 1)));
        Block ones = NetworkBuilder.build(PRUNE.resolve(Map.of("process.chn_mask", all)), SAMPLE);
        Block plain = NetworkBuilder.build(PLAIN.defaults(), SAMPLE);
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(manager, plain, ones);
            assertEquals(names(plain), names(ones));
            copyParameters(plain, ones);
            NDArray x = manager.randomNormal(BATCH);
            assertEquals(forward(manager, plain, x, true), forward(manager, ones, x, true));
        }
    }

    @Test
    void seedConfigsWithQuantOrPruneBuildAndGiveTenLogits() {
        // resnet20_quant: lists fit, 20 quantized convolutions. resnet18_quant: 20 entries for 19
        // layers, and resnet20_prune: masks of 12 for groups of other widths; neither is applied,
        // as NetworkAnalysis leaves them out of the counts.
        Map<String, Integer> expected = Map.of("resnet20_quant.yml", 20, "reuse_resnet20_quant.yml", 20,
                "resnet18_quant.yml", 0, "resnet20_prune.yml", 0);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            SearchSpace space = SeedSpaces.seedSpace(e.getKey());
            Block block = NetworkBuilder.build(space.defaults(), new Shape(3, 32, 32));
            assertEquals(e.getValue(), processedConvolutions(block).size(), e.getKey());
            try (NDManager manager = NDManager.newBaseManager()) {
                block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
                NDArray out = forward(manager, block, manager.randomNormal(new Shape(2, 3, 32, 32)), true);
                assertEquals(new Shape(2, 10), out.getShape(), e.getKey());
                assertFalse(out.isNaN().any().getBoolean(), e.getKey());
            }
        }
    }

    @Test
    void theProcessExamplesInConfFitTheirNetwork() {
        long[] fashion = {1, 28, 28};
        for (String name : List.of("resnet20_w4a4.yml", "resnet20_w2a2.yml", "resnet20_prune_half.yml")) {
            SearchSpace space = SeedSpaces.load(SeedSpaces.root().resolve("conf").resolve(name));
            NetworkSummary s = NetworkAnalyzer.analyze(space.defaults(), fashion, true, true); // strict: lists must fit
            Block block = NetworkBuilder.build(space.defaults(), new Shape(fashion));
            List<ProcessedConv2d> convs = processedConvolutions(block);
            if (name.contains("prune")) {
                assertTrue(s.macs() < 0.3 * NetworkAnalyzer.analyze(PLAIN.defaults(), fashion).macs(), name + ": " + s.macs());
                assertEquals(0, convs.size(), name + ": the narrow network has plain convolutions");
                assertEquals(21, processedConvolutions(NetworkBuilder.buildMasked(space.defaults(), new Shape(fashion))).size(),
                        name + ": masked, every convolution (stem, 18 in blocks, 2 shortcuts) makes a pruned group");
                try (NDManager manager = NDManager.newBaseManager()) {
                    block.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
                    long built = 0;
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        built += p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar") ? 0 : p.getValue().getArray().size();
                    }
                    assertEquals(s.params(), built, name + ": the built network has the params the analysis counts");
                }
            } else {
                assertEquals(QUANTIZABLE, convs.size(), name);
                assertTrue(s.bitops() != null, name);
            }
        }
    }

    @Test
    void listsThatDoNotFitAreRefusedByTheAnalysisAndNotApplied() {
        List<Integer> short18 = Collections.nCopies(18, 4);
        ModuleSpec spec = quantSpec(short18, short18);
        assertEquals(0, processedConvolutions(NetworkBuilder.build(spec, SAMPLE)).size());
        NetworkAnalysis analysis = new NetworkAnalysis(QUANT, SAMPLE_DIMS);
        InvalidCandidateException e = assertThrows(InvalidCandidateException.class,
                () -> analysis.measure(Map.of("process.nbit_w_list", short18, "process.nbit_a_list", short18)));
        assertEquals("process: nbit_w_list has 18 entries but the network has 20 quantizable layers", e.getMessage());
        assertThrows(InvalidCandidateException.class,
                () -> QUANT.resolve(Map.of("process.nbit_w_list", Collections.nCopies(QUANTIZABLE, 0))));
    }

    private static ModuleSpec quantSpec(List<Integer> w, List<Integer> a) {
        return QUANT.resolve(Map.of("process.nbit_w_list", w, "process.nbit_a_list", a));
    }

    private static void initialize(NDManager manager, Block... blocks) {
        for (Block b : blocks) {
            b.initialize(manager, DataType.FLOAT32, BATCH);
        }
    }

    private static NDArray forward(NDManager manager, Block block, NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    private static List<String> names(Block block) {
        return block.getParameters().keys();
    }

    private static void copyParameters(Block from, Block to) {
        for (Pair<String, Parameter> p : from.getParameters()) {
            to.getParameters().get(p.getKey()).getArray().set(p.getValue().getArray().toFloatArray());
        }
    }

    private static int distinct(NDArray a) {
        Set<Float> values = new HashSet<>();
        for (float v : a.toFloatArray()) {
            values.add(v);
        }
        return values.size();
    }

    private static List<ProcessedConv2d> processedConvolutions(Block block) {
        List<ProcessedConv2d> out = new ArrayList<>();
        if (block instanceof ProcessedConv2d p) {
            out.add(p);
        }
        for (Block child : block.getChildren().values()) {
            out.addAll(processedConvolutions(child));
        }
        return out;
    }
}
