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
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the DJL network of a resolved module description. The block is not initialized: call
 * {@code block.initialize(manager, DataType.FLOAT32, new Shape(N, C, H, W))} (or let a Trainer
 * do it). Blocks are named after the YAML ids, so parameter names are stable across edits.
 *
 * <p>Quant and Prune build as the identity where they stand; what they do is applied to the
 * layers before them ({@link ProcessPlan}): each quantizable convolution whose bits are below 32
 * becomes a {@link ProcessedConv2d} (fake-quantized input and weights, straight-through
 * gradients), and the outputs of every Conv2d, BatchNorm2d or Linear whose channels a
 * {@code chn_mask} removes are multiplied by that 0/1 mask. Parameter names stay those of the
 * plain network; a network without Quant or Prune builds exactly as before.
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

    /** The DJL block of an expanded layer, with the process modules among its children applied. */
    public static Block build(Layer layer) {
        ProcessPlan plan = ProcessPlan.of(layer);
        Set<String> masked = new HashSet<>();
        Block block = build(layer, plan, masked);
        if (!masked.equals(plan.maskedPaths())) {
            Set<String> missing = new TreeSet<>(plan.maskedPaths());
            missing.removeAll(masked);
            throw new IllegalStateException("cannot apply the Prune mask to " + missing
                    + ": only a Conv2d, or an operator inside a sequential module, can be masked");
        }
        return block;
    }

    private static Block build(Layer layer, ProcessPlan plan, Set<String> masked) {
        switch (layer.structure()) {
            case OPERATOR: {
                if (layer.type().equals("Conv2d") && (plan.bits(layer) != null || plan.mask(layer) != null)) {
                    int[] bits = plan.bits(layer) == null ? new int[] {32, 32} : plan.bits(layer);
                    ChannelMask mask = plan.mask(layer);
                    if (mask != null) {
                        masked.add(layer.path());
                    }
                    return new ProcessedConv2d(BuiltInBlocks.conv2dBuilder(layer), bits[0], bits[1], mask);
                }
                BlockFactory f = factories().get(layer.type());
                if (f == null) {
                    throw new IllegalStateException("no BlockFactory builds operator type '" + layer.type()
                            + "' (register one in META-INF/services/io.finegrained.nn.BlockFactory)");
                }
                return f.build(layer);
            }
            case RESIDUAL:
                return new ResidualBlock(build(layer.child("body"), plan, masked), build(layer.child("shortcut"), plan, masked));
            case SEQUENTIAL: {
                NamedSequentialBlock seq = new NamedSequentialBlock();
                for (Layer child : layer.children()) {
                    seq.add(child.name(), build(child, plan, masked));
                    ChannelMask mask = plan.mask(child);
                    if (mask != null && !masked.contains(child.path())) {
                        seq.maskAfter(child.name(), mask);
                        masked.add(child.path());
                    }
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
