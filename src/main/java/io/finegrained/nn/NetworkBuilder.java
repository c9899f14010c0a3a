package io.finegrained.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.Layer;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.NetworkExpander;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Builds the DJL network of a resolved module description. The block is not initialized: call
 * {@code block.initialize(manager, DataType.FLOAT32, new Shape(N, C, H, W))} (or let a Trainer
 * do it). Blocks are named after the YAML ids, so parameter names are stable across edits.
 * Quant and Prune build as the identity (what they do to the network is applied elsewhere).
 */
public final class NetworkBuilder {
    private static volatile Map<String, BlockFactory> factories;

    private NetworkBuilder() {
    }

    /**
     * @param spec a resolved network ({@code SearchSpace.resolve} / {@code defaults})
     * @param inputShape one sample's shape: C, H, W
     */
    public static Block build(ModuleSpec spec, Shape inputShape) {
        return build(spec, inputShape, ModuleRegistry.forSpec(spec));
    }

    /** {@link #build(ModuleSpec, Shape)} with an explicit registry. */
    public static Block build(ModuleSpec spec, Shape inputShape, ModuleRegistry registry) {
        if (inputShape.dimension() != 3) {
            throw new IllegalArgumentException("the input shape is one sample's C, H, W; got " + inputShape);
        }
        Layer root;
        try {
            root = new NetworkExpander(registry).expand(spec,
                    TensorShape.image(inputShape.get(0), inputShape.get(1), inputShape.get(2), "the input shape"));
        } catch (SpecException e) {
            throw new InvalidCandidateException(e.getMessage());
        }
        return build(root);
    }

    /** The DJL block of an expanded layer. */
    public static Block build(Layer layer) {
        switch (layer.structure()) {
            case OPERATOR: {
                BlockFactory f = factories().get(layer.type());
                if (f == null) {
                    throw new IllegalStateException("no BlockFactory builds operator type '" + layer.type()
                            + "' (register one in META-INF/services/io.finegrained.nn.BlockFactory)");
                }
                return f.build(layer);
            }
            case RESIDUAL:
                return new ResidualBlock(build(layer.child("body")), build(layer.child("shortcut")));
            case SEQUENTIAL: {
                NamedSequentialBlock seq = new NamedSequentialBlock();
                for (Layer child : layer.children()) {
                    seq.add(child.name(), build(child));
                }
                return seq;
            }
            default:
                throw new AssertionError(layer.structure());
        }
    }

    private static Map<String, BlockFactory> factories() {
        Map<String, BlockFactory> f = factories;
        if (f == null) {
            synchronized (NetworkBuilder.class) {
                if (factories == null) {
                    Map<String, BlockFactory> map = new HashMap<>();
                    for (BlockFactory b : BuiltInBlocks.all()) {
                        map.put(b.type(), b);
                    }
                    ClassLoader loader = Thread.currentThread().getContextClassLoader();
                    for (BlockFactory b : ServiceLoader.load(BlockFactory.class, loader == null ? NetworkBuilder.class.getClassLoader() : loader)) {
                        map.put(b.type(), b);
                    }
                    factories = map;
                }
                f = factories;
            }
        }
        return f;
    }
}
