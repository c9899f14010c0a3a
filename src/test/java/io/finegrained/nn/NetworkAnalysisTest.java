package io.finegrained.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.JobConfig;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.space.NetworkSummary;
import io.finegrained.space.OperatorType;
import io.finegrained.space.ParamDef;
import io.finegrained.space.ParamKind;
import io.finegrained.space.SearchSpace;
import io.finegrained.space.SeedSpaces;
import io.finegrained.space.TensorShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkAnalysisTest {
    private static final long[] CIFAR = {3, 32, 32};

    @Test
    void theIssuesNumbers() {
        assertCounts("resnet18_coarse.yml", CIFAR, 11_181_642, 37_016_576);
        assertCounts("resnet18_coarse.yml", new long[] {3, 224, 224}, 11_181_642, 1_813_566_464);
        assertCounts("resnet50_fine.yml", CIFAR, 23_528_522, 83_431_424);
        assertCounts("resnet20_quant.yml", CIFAR, 272_474, 40_813_184);
    }

    private static void assertCounts(String seed, long[] shape, long params, long macs) {
        NetworkSummary s = NetworkAnalyzer.analyze(SeedSpaces.seedSpace(seed).defaults(), shape);
        assertEquals(params, s.params(), seed);
        assertEquals(macs, s.macs(), seed);
    }

    @Test
    void quantizableLayersAreTheConvolutionsAfterTheStemWithShortcutsAfterTheirBlock() {
        NetworkAnalysis r20 = new NetworkAnalysis(SeedSpaces.seedSpace("resnet20_quant.yml"), CIFAR);
        assertEquals(20, r20.quantizableLayers());
        assertEquals("process", r20.quantPath());
        assertNull(r20.prunePath());
        List<String> names = r20.defaultSummary().quantizableLayers();
        assertEquals("resnet.layers.0.add.body.conv1", names.get(0));
        assertEquals("resnet.layers.3.add.body.conv2", names.get(7));
        assertEquals("resnet.layers.3.add.shortcut.conv", names.get(8));
        assertEquals(19, new NetworkAnalysis(SeedSpaces.seedSpace("resnet18_quant.yml"), CIFAR).quantizableLayers());
    }

    @Test
    void bitopsAtEightBitsEverywhere() {
        NetworkAnalysis r20 = new NetworkAnalysis(SeedSpaces.seedSpace("resnet20_quant.yml"), CIFAR);
        List<Integer> eights = Collections.nCopies(20, 8);
        Map<String, Double> m = r20.measure(Map.of("process.nbit_w_list", eights, "process.nbit_a_list", eights));
        assertEquals(2_966_144.0, m.get("bitops"));
        assertEquals(40_813_184.0, m.get("macs"));
        // At 32/32 bits, bit-ops equal MACs.
        List<Integer> full = Collections.nCopies(20, 32);
        assertEquals(40_813_184.0, r20.measure(Map.of("process.nbit_w_list", full, "process.nbit_a_list", full)).get("bitops"));
    }

    @Test
    void aBitListOfTheWrongLengthIsInvalidWhenTheValuesGiveItAndAWarningWhenTheFileDoes() {
        NetworkAnalysis r18 = new NetworkAnalysis(SeedSpaces.seedSpace("resnet18_quant.yml"), CIFAR);
        assertFalse(r18.measure(Map.of()).containsKey("bitops"));
        assertEquals(List.of("process: nbit_w_list has 20 entries but the network has 19 quantizable layers; bitops not counted"),
                r18.defaultSummary().warnings());
        InvalidCandidateException e = assertThrows(InvalidCandidateException.class,
                () -> r18.measure(Map.of("process.nbit_w_list", Collections.nCopies(18, 4))));
        assertEquals("process: nbit_w_list has 18 entries but the network has 19 quantizable layers", e.getMessage());
    }

    @Test
    void prunableGroupsAreInnerWidthsAndStages() {
        NetworkAnalysis r20 = new NetworkAnalysis(SeedSpaces.seedSpace("resnet20_quant.yml"), CIFAR);
        // stage 1 (stem output joined by identity shortcuts), inner widths, stage 2 at block 3, ...
        assertEquals(List.of(16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64), r20.prunableChannels());
        NetworkAnalysis prune = new NetworkAnalysis(SeedSpaces.seedSpace("resnet20_prune.yml"), CIFAR);
        assertEquals("process", prune.prunePath());
        assertEquals(List.of(14, 15, 16, 16, 29, 29, 30, 30, 62, 60, 60, 62), prune.prunableChannels());
    }

    @Test
    void nodeMasksThatCutAResidualInconsistentlyAreRefusedNamingTheStage() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  modules: [resnet, process]
                  resnet: {type: ResNet, depth: 20}
                  process: {type: Prune}
                """);
        // One node mask per block output: blocks 0-2 put out 16 channels, 3-5 32, 6-8 64.
        List<List<Integer>> nodes = new ArrayList<>();
        for (int b = 0; b < 9; b++) {
            int w = 16 << (b / 3);
            List<Integer> m = new ArrayList<>(Collections.nCopies(w, 1));
            m.set(1, 0);
            m.set(w - 1, 0);
            nodes.add(m);
        }
        // Consistent: the stage masks, the inner widths unpruned; the same counts as that chn_mask.
        List<List<Integer>> stages = new ArrayList<>();
        List<Integer> widths = new NetworkAnalysis(space, CIFAR).prunableChannels();
        // Groups in order of first appearance: stage 1 is 0, stage 2 is 5 (after block 3's inner width), stage 3 is 9.
        Map<Integer, Integer> stageOfGroup = Map.of(0, 0, 5, 3, 9, 6);
        for (int g = 0; g < widths.size(); g++) {
            stages.add(stageOfGroup.containsKey(g) ? nodes.get(stageOfGroup.get(g)) : Collections.nCopies(widths.get(g), 1));
        }
        NetworkSummary byNodes = NetworkAnalyzer.analyze(space.resolve(Map.of("process.chn_node_mask", nodes)), CIFAR);
        NetworkSummary byMask = NetworkAnalyzer.analyze(space.resolve(Map.of("process.chn_mask", stages)), CIFAR);
        assertEquals(byMask.params(), byNodes.params());
        assertEquals(byMask.macs(), byNodes.macs());
        assertTrue(byNodes.macs() < NetworkAnalyzer.analyze(space.defaults(), CIFAR).macs());
        assertEquals(List.of(), byNodes.warnings());

        // Block 4 keeps other channels than blocks 3 and 5 of its stage: refused, naming the stage.
        List<List<Integer>> cut = new ArrayList<>(nodes);
        List<Integer> other = new ArrayList<>(nodes.get(4));
        other.set(0, 0);
        cut.set(4, other);
        InvalidCandidateException e = assertThrows(InvalidCandidateException.class,
                () -> NetworkAnalyzer.analyze(space.resolve(Map.of("process.chn_node_mask", cut)), CIFAR));
        assertTrue(e.getMessage().startsWith("process.chn_node_mask: masks 3 and 4 differ") && e.getMessage().contains(
                "stage of resnet.layers.3") && e.getMessage().contains("32 channels"), e.getMessage());
        // Node masks that disagree with the stage's chn_mask entry: refused too.
        assertThrows(InvalidCandidateException.class, () -> NetworkAnalyzer.analyze(space.resolve(Map.of(
                "process.chn_node_mask", nodes, "process.chn_mask", NarrowLists.ones(widths))), CIFAR));
        // Node masks that do not fit (the seed's 5 lists of 12): a warning, not applied.
        NetworkSummary seed = NetworkAnalyzer.analyze(SeedSpaces.seedSpace("resnet20_prune.yml").defaults(), CIFAR);
        assertTrue(seed.warnings().stream().anyMatch(w -> w.startsWith("process.chn_node_mask: has 5 masks but the network has 9")),
                seed.warnings().toString());
    }

    @Test
    void handWrittenWidthsThatDoNotChainAreRefusedAtTheirKey() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> NetworkAnalyzer.analyze(SeedSpaces.text("""
                search_space:
                  modules: [resnet]
                  resnet:
                    type: ResNet
                    depth: 20
                    init_plane: 16
                    items:
                      inchannel: [16, 16, 16, 16, 32, 32, 32, 64, 64]
                      outchannel: [16, 15, 16, 32, 32, 32, 64, 64, 64]
                      stride: [1, 1, 1, 2, 1, 1, 2, 1, 1]
                """).defaults(), CIFAR));
        assertTrue(e.getMessage().contains("items.inchannel[2]: inchannel is 16 but 15 channels come in"), e.getMessage());
    }

    /** Masks of ones. */
    private static final class NarrowLists {
        static List<List<Integer>> ones(List<Integer> widths) {
            List<List<Integer>> out = new ArrayList<>();
            widths.forEach(w -> out.add(Collections.nCopies(w, 1)));
            return out;
        }
    }

    @Test
    void prunedCountsEqualTheCountsOfTheNarrowerNetworkWrittenOut() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  modules: [resnet, process]
                  resnet: {type: ResNet, depth: 20}
                  process: {type: Prune}
                """);
        NetworkAnalysis analysis = new NetworkAnalysis(space, CIFAR);
        List<Integer> widths = analysis.prunableChannels();
        assertEquals(List.of(16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64), widths);
        List<List<Integer>> mask = NarrowResNet20.mask(widths, true);
        Map<String, Double> pruned = analysis.measure(Map.of("process.chn_mask", mask));
        SearchSpace narrow = NarrowResNet20.space();
        NetworkSummary expected = NetworkAnalyzer.analyze(narrow.defaults(), CIFAR);
        assertEquals((double) expected.params(), pruned.get("params"));
        assertEquals((double) expected.macs(), pruned.get("macs"));

        List<List<Integer>> all = new ArrayList<>();
        widths.forEach(w -> all.add(Collections.nCopies(w, 1)));
        assertEquals(272_474.0, analysis.measure(Map.of("process.chn_mask", all)).get("params"));
        List<List<Integer>> none = new ArrayList<>(all);
        none.set(3, Collections.nCopies(16, 0));
        InvalidCandidateException e = assertThrows(InvalidCandidateException.class, () -> analysis.measure(Map.of("process.chn_mask", none)));
        assertEquals("process.chn_mask: mask 3 keeps no channel", e.getMessage());
    }

    @Test
    void identityIsEqualExactlyForTheSameNetworkAndTraining() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  hyper_parameters:
                    layer.doublechannel: [0, 1, 1, 0]
                    trainer.lr: {type: FLOAT_EXP, range: [0.001, 0.1]}
                  modules: [init, layer, head]
                  init: {type: SmallInputInitialBlock, init_plane: 8}
                  layer: {type: VariantLayer, doublechannel: [0, 1, 1, 0], downsample: [1, 0, 1, 0]}
                  head: {type: LinearClassificationHead}
                """);
        NetworkAnalysis facts = new NetworkAnalysis(space, CIFAR);
        Map<String, Object> a = new HashMap<>(Map.of("layer.doublechannel", List.of(0, 1, 1, 0), "trainer.lr", 0.01));
        Map<String, Object> sameAsA = new HashMap<>(Map.of("trainer.lr", 0.01, "layer.doublechannel", List.of(0L, 1L, 1L, 0L)));
        assertEquals(facts.identity(a), facts.identity(sameAsA));
        assertEquals(facts.identity(Map.of()), facts.identity(Map.of("layer.doublechannel", List.of(0, 1, 1, 0))));
        assertNotEquals(facts.identity(a), facts.identity(Map.of("layer.doublechannel", List.of(1, 1, 0, 0), "trainer.lr", 0.01)));
        assertNotEquals(facts.identity(a), facts.identity(Map.of("layer.doublechannel", List.of(0, 1, 1, 0), "trainer.lr", 0.02)));
    }

    @Test
    void measureRejectsValuesThatGiveNoNetwork() {
        NetworkAnalysis facts = new NetworkAnalysis(SeedSpaces.seedSpace("backbone_nas_seed.yml"), CIFAR);
        assertEquals(7_579_114.0, facts.measure(Map.of()).get("params"));
        assertThrows(InvalidCandidateException.class, () -> facts.measure(Map.of("layer.doublechannel", List.of(1, 1, 1, 1, 1, 1, 1, 1))));
    }

    /** A user's quantization module: any name, found by the role it declares. */
    static final class LowBits implements OperatorType {
        private final boolean declaresLists;

        LowBits(boolean declaresLists) {
            this.declaresLists = declaresLists;
        }

        @Override
        public String name() {
            return declaresLists ? "LowBits" : "NoBits";
        }

        @Override
        public String doc() {
            return "a user's quantization";
        }

        @Override
        public List<ParamDef> parameters() {
            return declaresLists ? List.of(ParamDef.optional("nbit_w_list", ParamKind.INT_LIST, "weight bits"),
                    ParamDef.optional("nbit_a_list", ParamKind.INT_LIST, "activation bits")) : List.of();
        }

        @Override
        public Role role() {
            return Role.QUANT;
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            return input;
        }
    }

    @Test
    void aUsersModuleTakingTheQuantRoleIsCountedAsQuantIs() {
        ModuleRegistry registry = ModuleRegistry.standard().with(List.of(new LowBits(true)));
        SearchSpace space = SearchSpace.parse(JobConfig.parse("""
                search_space:
                  modules: [resnet, process]
                  resnet: {type: ResNet, depth: 20}
                  process: {type: LowBits}
                """, Path.of("user.yml")).section("search_space"), SeedSpaces.TRAINER_KEYS, registry);
        NetworkAnalysis analysis = new NetworkAnalysis(space, CIFAR);
        assertEquals("process", analysis.quantPath());
        assertEquals(20, analysis.quantizableLayers());
        List<Integer> eights = Collections.nCopies(20, 8);
        assertEquals(2_966_144.0, analysis.measure(Map.of("process.nbit_w_list", eights, "process.nbit_a_list", eights)).get("bitops"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModuleRegistry.standard().with(List.of(new LowBits(false))));
        assertTrue(e.getMessage().contains("takes the role QUANT but does not declare nbit_w_list, nbit_a_list"), e.getMessage());
    }
}
