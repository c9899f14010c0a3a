package io.finegrained.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.finegrained.space.Layer;
import io.finegrained.space.SearchSpace;
import io.finegrained.space.SeedSpaces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkBuilderTest {

    @Test
    void childBlocksAreNamedAfterTheYamlIds() {
        SearchSpace space = SeedSpaces.seedSpace("resnet20_quant.yml");
        Block block = NetworkBuilder.build(space.defaults(), new Shape(3, 32, 32));
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            List<String> names = block.getParameters().keys();
            assertEquals("resnet_stem_conv_weight", names.get(0));
            assertEquals(true, names.contains("resnet_layers_3_add_shortcut_conv_weight"), names.toString());
            assertEquals(true, names.contains("resnet_head_linear_weight"), names.toString());
        }
    }

    @Test
    void everySeedBuildsAndGivesTenLogitsWithTheCountedParameters() throws Exception {
        for (Path file : SeedSpaces.allSeeds()) {
            SearchSpace space = SeedSpaces.load(file);
            Block block = NetworkBuilder.build(space.defaults(), new Shape(3, 32, 32));
            Layer layer = space.expand(space.defaults(), new long[] {3, 32, 32});
            try (NDManager manager = NDManager.newBaseManager()) {
                block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
                long trainable = 0;
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        trainable += p.getValue().getArray().size();
                    }
                }
                assertEquals(layer.params(), trainable, file + ": DJL's trainable parameters vs the counted ones");
                NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
                NDList out = block.forward(new ParameterStore(manager, false), new NDList(x), false);
                assertEquals(new Shape(2, 10), out.singletonOrThrow().getShape(), file.toString());
            }
        }
    }
}
