package io.finegrained.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.config.YamlLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    private static final long[] CIFAR = {3, 32, 32};

    @Test
    void openParametersComeInFileOrderWithTheirDomains() {
        SearchSpace space = SeedSpaces.seedSpace("backbone_nas_seed.yml");
        assertTrue(space.hasModules());
        assertEquals(List.of("layer.doublechannel", "layer.downsample"), List.copyOf(space.parameters().domains().keySet()));
        Domain.BinaryCode code = (Domain.BinaryCode) space.parameters().domains().get("layer.doublechannel");
        assertEquals(8, code.length());
        assertEquals(List.of(0, 1, 1, 0, 1, 0, 0, 1), code.defaultCode());
    }

    @Test
    void resolvingValuesChangesTheNetworkAndLeavesTheDefaultsAlone() {
        SearchSpace space = SeedSpaces.seedSpace("backbone_nas_seed.yml");
        ModuleSpec narrow = space.resolve(Map.of("layer.doublechannel", List.of(0, 0, 0, 0, 0, 0, 0, 0),
                "layer.downsample", List.of(1, 1, 0, 0, 0, 0, 0, 0), "layer.out_plane", 32, "head.base_channel", 32));
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), narrow.getModule("layer").getLongList("doublechannel"));
        Layer net = space.expand(narrow, CIFAR);
        assertEquals(List.of(10L), List.of(net.output().dim(0)));
        assertEquals(32, net.child("layer").output().channels());
        assertEquals(8, net.child("layer").output().dim(1));
        assertEquals(512, space.expand(space.defaults(), CIFAR).child("layer").output().channels());
    }

    @Test
    void valuesThatGiveNoNetworkAreInvalidCandidatesSayingWhy() {
        SearchSpace space = SeedSpaces.seedSpace("backbone_nas_seed.yml");
        // out_plane 512 is written in the file: fewer doublings no longer reach it.
        InvalidCandidateException e = assertThrows(InvalidCandidateException.class,
                () -> space.resolve(Map.of("layer.doublechannel", List.of(0, 0, 0, 0, 0, 0, 0, 1))));
        assertEquals("search_space.layer.out_plane: out_plane is 512 but the blocks end at width 64"
                + " (search_space.layer.in_plane = 32, doubled at 1 of 8 blocks by doublechannel)", e.getMessage());
        InvalidCandidateException unknown = assertThrows(InvalidCandidateException.class,
                () -> space.resolve(Map.of("layer.doublechanel", List.of(1))));
        assertEquals("layer.doublechanel: 'layer.doublechanel' names no parameter: module 'layer' (VariantLayer) has no parameter"
                + " 'doublechanel'; did you mean 'doublechannel'?", unknown.getMessage());
        InvalidCandidateException kind = assertThrows(InvalidCandidateException.class,
                () -> space.resolve(Map.of("layer.in_plane", "wide")));
        assertEquals("layer.in_plane: expected an integer, got the text 'wide'", kind.getMessage());
        InvalidCandidateException shorter = assertThrows(InvalidCandidateException.class,
                () -> space.resolve(Map.of("layer.downsample", List.of(1, 1))));
        assertEquals("search_space.layer.downsample: downsample has 2 entries but doublechannel has 8", shorter.getMessage());
    }

    @Test
    void anyValidPathResolvesNotOnlyOpenOnes() {
        SearchSpace space = SeedSpaces.seedSpace("resnet20_quant.yml");
        List<Integer> fours = java.util.Collections.nCopies(20, 4);
        ModuleSpec spec = space.resolve(Map.of("process.nbit_w_list", fours, "resnet.items.stride", List.of(1, 1, 1, 2, 1, 1, 2, 1, 1),
                "resnet.block.type", "BasicBlock", "trainer.lr", 0.1));
        assertEquals(4L, spec.getModule("process").getLongList("nbit_w_list").get(0));
        InvalidCandidateException e = assertThrows(InvalidCandidateException.class,
                () -> space.resolve(Map.of("process.nbit_w_list", List.of(0, 8))));
        assertEquals("process.nbit_w_list: nbit_w_list[0] must be in [1, 32], found 0", e.getMessage());
        InvalidCandidateException t = assertThrows(InvalidCandidateException.class,
                () -> space.resolve(Map.of("resnet.block.type", "BasicBlok")));
        assertEquals("resnet.block.type: unknown module type 'BasicBlok'; did you mean 'BasicBlock'?", t.getMessage());
    }

    @Test
    void trainerValuesAreSplitOffAndIgnoredByResolve() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  hyper_parameters:
                    trainer.lr: {type: FLOAT_EXP, range: [0.001, 0.1], default: 0.01}
                    resnet.depth: {type: CATEGORY, range: [20, 32, 44]}
                  modules: [resnet]
                  resnet: {type: ResNet, depth: 20}
                """);
        assertEquals(List.of("trainer.lr", "resnet.depth"), List.copyOf(space.parameters().domains().keySet()));
        Map<String, Object> values = Map.of("trainer.lr", 0.05, "resnet.depth", 32);
        assertEquals(Map.of("lr", 0.05), space.trainerValues(values));
        ModuleSpec spec = space.resolve(values);
        assertEquals(32L, spec.getModule("resnet").getLong("depth"));
        assertEquals(33, space.expand(spec, CIFAR).operators().stream().filter(l -> l.type().equals("Conv2d")).count());
    }

    @Test
    void aSpaceWithoutModulesIsAPlainHyperParameterSpace() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  hyper_parameters:
                    lr: {type: FLOAT_EXP, range: [0.0001, 0.1]}
                    x0: {type: FLOAT, range: [0.0, 1.0]}
                    depth: {type: CATEGORY, range: [18, 34, 50]}
                    width: {type: INT, range: [16, 64]}
                """);
        assertFalse(space.hasModules());
        assertEquals(List.of("lr", "x0", "depth", "width"), List.copyOf(space.parameters().domains().keySet()));
        assertThrows(IllegalStateException.class, space::defaults);
    }

    @Test
    void domainDefaultsOverrideTheValuesWrittenInTheModule() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  hyper_parameters:
                    net.doublechannel: [1, 0, 1, 0, 1, 0, 0, 0]
                  modules: [net]
                  net:
                    type: ResNetVariant
                    base_depth: 18
                    base_channel: 16
                    doublechannel: [0, 0, 1, 0, 1, 0, 1, 0]
                    downsample: [0, 0, 1, 0, 1, 0, 1, 0]
                """);
        assertEquals(List.of(1L, 0L, 1L, 0L, 1L, 0L, 0L, 0L), space.defaults().getModule("net").getLongList("doublechannel"));
    }

    @Test
    void aDomainDefaultThatBreaksTheNetworkIsLocatedAtItsKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> SeedSpaces.text("""
                search_space:
                  hyper_parameters:
                    layer.doublechannel: [0, 0, 0, 0]
                  modules: [init, layer]
                  init: {type: SmallInputInitialBlock, init_plane: 8}
                  layer: {type: VariantLayer, out_plane: 16, doublechannel: [1, 0, 0, 0], downsample: [0, 0, 0, 0]}
                """));
        assertEquals("test.yml:6:42: search_space.layer.out_plane: out_plane is 16 but the blocks end at width 8"
                + " (the 8 channels coming in, doubled at 0 of 4 blocks by search_space.hyper_parameters.layer.doublechannel)", e.getMessage());
    }

    @Test
    void resolvedYamlLoadsAgainToTheSameNetwork() {
        for (String seed : List.of("resnet20_prune.yml", "resnet50_fine.yml", "backbone_nas_seed.yml", "resnet18_variant.yml")) {
            SearchSpace space = SeedSpaces.seedSpace(seed);
            String yaml = space.defaults().toYaml();
            SearchSpace again = SearchSpace.parse(JobConfig.parse(yaml, Path.of("resolved.yml")).section("search_space"), SeedSpaces.TRAINER_KEYS);
            assertEquals(space.defaults(), again.defaults(), seed);
            assertEquals(yaml, again.defaults().toYaml(), seed);
        }
        assertTrue(YamlLoader.parse(SeedSpaces.seedSpace("resnet20_prune.yml").defaults().toYaml(), "x")
                .requireMap("search_space").requireMap("process").has("init_model_file"));
    }

    @Test
    void aResolvedSpecSurvivesJavaSerialization() throws Exception {
        ModuleSpec spec = SeedSpaces.seedSpace("resnet20_prune.yml").defaults();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            ModuleSpec back = (ModuleSpec) in.readObject();
            assertEquals(spec, back);
            assertEquals(spec.toYaml(), back.toYaml());
        }
    }

    @Test
    void aNestedModuleTypeCanBeOpened() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  hyper_parameters:
                    layer.block.type: {type: CATEGORY, range: [BasicBlock, BottleneckBlock]}
                  modules: [init, layer, head]
                  init: {type: SmallInputInitialBlock, init_plane: 16}
                  layer: {type: VariantLayer, doublechannel: [0, 1], downsample: [0, 1], block: {type: BasicBlock}}
                  head: {type: LinearClassificationHead}
                """);
        ModuleSpec bottleneck = space.resolve(Map.of("layer.block.type", "BottleneckBlock", "layer.expansion", 4));
        assertEquals(128, space.expand(bottleneck, CIFAR).child("layer").output().channels());
        ConfigException e = assertThrows(ConfigException.class, () -> SeedSpaces.text("""
                search_space:
                  hyper_parameters:
                    layer.block.type: {type: CATEGORY, range: [BasicBlock, Bottleneck]}
                  modules: [layer]
                  layer: {type: VariantLayer, in_plane: 3, doublechannel: [0], downsample: [0]}
                """));
        assertTrue(e.getMessage().startsWith("test.yml:3:5: search_space.hyper_parameters.layer.block.type: 'type' is a text;"
                + " the category value Bottleneck does not fit it: unknown module type 'Bottleneck' (registered: "),
                e.getMessage());
    }

    @Test
    void shortcutsFollowStrideAndWidth() {
        SearchSpace space = SeedSpaces.seedSpace("resnet20_quant.yml");
        Layer blocks = space.expand(space.defaults(), CIFAR).child("resnet").child("layers");
        assertEquals("Identity", blocks.child("0").child("add").child("shortcut").type());
        assertEquals("Sequential", blocks.child("3").child("add").child("shortcut").type());
        Layer shortcutConv = blocks.child("3").child("add").child("shortcut").child("conv");
        assertEquals(List.of(1L, 1L), shortcutConv.spec().getLongList("kernel_size"));
        assertEquals(List.of(2L, 2L), shortcutConv.spec().getLongList("stride"));
        assertFalse(shortcutConv.spec().getBool("bias"));
        // Bottleneck: the stride sits on the 3x3 convolution.
        Layer bottle = SeedSpaces.seedSpace("resnet50_fine.yml").expand(SeedSpaces.seedSpace("resnet50_fine.yml").defaults(), CIFAR)
                .child("bottlelayer").child("3").child("add").child("body");
        assertEquals(List.of(1L, 1L), bottle.child("conv1").spec().getLongList("stride"));
        assertEquals(List.of(2L, 2L), bottle.child("conv2").spec().getLongList("stride"));
        assertEquals(List.of(3L, 3L), bottle.child("conv2").spec().getLongList("kernel_size"));
    }

    @Test
    void widthsAreInferredOnlyWhenAbsent() {
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  modules: [init, layer, pool, view, fc]
                  init: {type: InitialBlock, init_plane: 24}
                  layer: {type: BasicLayer, layer_reps: [1, 1], plane: 8}
                  pool: {type: AdaptiveAvgPool2d}
                  view: {type: View}
                  fc: {type: Linear, out_features: 5}
                """);
        Layer net = space.expand(space.defaults(), new long[] {1, 64, 64});
        assertEquals(1, net.child("init").child("conv").input().channels());
        assertEquals(24 * 1 * 7 * 7, net.child("init").child("conv").params());
        assertEquals(24, net.child("layer").child("0").child("add").child("body").child("conv1").input().channels());
        assertEquals(16, net.child("fc").input().channels());
        assertEquals(16 * 5 + 5, net.child("fc").params());
        assertFalse(net.child("fc").spec().has("in_features"));
    }
}
