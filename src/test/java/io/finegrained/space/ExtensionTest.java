package io.finegrained.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** User modules in Java (ServiceLoader) and composites in YAML. */
class ExtensionTest {
    private static final long[] CIFAR = {3, 32, 32};

    private static final String CONV_BN_RELU = """
            search_space:
              define:
                ConvBnRelu:
                  doc: 3x3 convolution, BatchNorm, ReLU
                  params:
                    width: 16
                    stride: {kind: INT, default: 1, doc: stride of the convolution}
                  modules: [conv, bn, relu]
                  conv: {type: Conv2d, out_channels: $width, kernel_size: 3, stride: $stride, padding: 1, bias: false}
                  bn: {type: BatchNorm2d}
                  relu: {type: ReLU}
              hyper_parameters:
                b.width: {type: CATEGORY, range: [16, 32, 64]}
              modules: [a, b, head]
              a: {type: ConvBnRelu}
              b: {type: ConvBnRelu, width: 32, stride: 2}
              head: {type: LinearClassificationHead}
            """;

    @Test
    void variantLayerAndUserModulesArriveThroughServiceLoader() {
        ModuleRegistry r = ModuleRegistry.standard();
        assertEquals("io.finegrained.space.variant.VariantLayer", r.find("VariantLayer").orElseThrow().getClass().getName());
        SearchSpace space = SeedSpaces.text("""
                search_space:
                  modules: [stem, squeeze, head]
                  stem: {type: SmallInputInitialBlock, init_plane: 32}
                  squeeze: {type: TestSqueezeBlock, width: 8}
                  head: {type: LinearClassificationHead, base_channel: 8}
                """);
        Layer net = space.expand(space.defaults(), CIFAR);
        assertEquals("TestSqueezeBlock", net.child("squeeze").type());
        assertEquals(32 * 8 + 2 * 8, net.child("squeeze").params());
        assertTrue(r.find("TestSqueezeBlock").orElseThrow().explainParams().contains("width (int, >= 1, required): output channels"));
    }

    @Test
    void aYamlCompositeExpandsWithItsParameters() {
        SearchSpace space = SeedSpaces.text(CONV_BN_RELU);
        Layer net = space.expand(space.defaults(), CIFAR);
        assertEquals("ConvBnRelu", net.child("a").type());
        assertEquals(16, net.child("a").output().channels());
        assertEquals(32, net.child("a").output().dim(1));
        assertEquals(32, net.child("b").output().channels());
        assertEquals(16, net.child("b").output().dim(1));
        assertEquals(16 * 32 * 9 + 2 * 32, net.child("b").params());
        ModuleSpec wide = space.resolve(Map.of("b.width", 64));
        assertEquals(64, space.expand(wide, CIFAR).child("b").output().channels());
    }

    @Test
    void aYamlCompositeTravelsInsideTheResolvedNetwork() {
        SearchSpace space = SeedSpaces.text(CONV_BN_RELU);
        ModuleSpec spec = space.resolve(Map.of("b.width", 64));
        // Another process sees only the spec: the definitions come with it.
        Layer net = new NetworkExpander(ModuleRegistry.forSpec(spec)).expand(spec, TensorShape.image(3, 32, 32, "input"));
        assertEquals(64, net.child("b").output().channels());
        SearchSpace again = SearchSpace.parse(JobConfig.parse(spec.toYaml(), Path.of("again.yml")).section("search_space"), SeedSpaces.TRAINER_KEYS);
        assertEquals(spec, again.defaults());
    }

    @Test
    void errorsInAYamlCompositeAreLocated() {
        ConfigException badRef = assertThrows(ConfigException.class, () -> SeedSpaces.text(CONV_BN_RELU.replace("stride: $stride", "stride: $strid")));
        assertEquals("test.yml:9:74: search_space.define.ConvBnRelu.conv.stride: '$strid' names no parameter of the definition;"
                + " did you mean '$stride'?", badRef.getMessage());
        ConfigException width = assertThrows(ConfigException.class, () -> SeedSpaces.text(CONV_BN_RELU.replace("width: 32, stride: 2", "width: 0, stride: 2")));
        assertEquals("test.yml:16:32: search_space.b.width: out_channels must be in [1, 2147483647], found 0", width.getMessage());
        ConfigException clash = assertThrows(ConfigException.class, () -> SeedSpaces.text(CONV_BN_RELU.replace("    ConvBnRelu:", "    ResNet:")));
        assertTrue(clash.getMessage().contains("'ResNet' is a registered module type already"), clash.getMessage());
    }
}
