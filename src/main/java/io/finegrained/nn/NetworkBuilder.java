package io.finegrained.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.KeptChannels;
import io.finegrained.space.Layer;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.NetworkExpander;
import io.finegrained.space.ProcessModules;
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
 * gradients). A fitting Prune {@code chn_mask} builds the <em>narrow</em> network: every
 * convolution and linear layer producing a pruned group has only the kept outputs, and every
 * layer reading one (BatchNorm, the next convolution, the classifier) sizes itself from its
 * input, so the network that runs is the one the counts describe. Parameter names stay those of
 * the plain network (only their shapes shrink); a network without Quant or Prune builds exactly
 * as before. {@link #buildMasked} builds the same candidate at full width with the removed
 * channels multiplied by 0 (what PruneEA trained before the narrow build; kept for tests and for
 * anyone who needs the full-width parameters).
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
        return build(expand(spec, inputShape, registry));
    }

    /**
     * The DJL block of an expanded layer, with the process modules among its children applied: a
     * Prune builds the narrow network.
     */
    public static Block build(Layer layer) {
        ProcessPlan plan = ProcessPlan.of(layer);
        Map<String, KeptChannels> kept = ProcessModules.keptChannels(layer);
        return build(layer, plan, new HashSet<>(), kept);
    }

    /**
     * The network of {@code spec} with a Prune applied as constant 0/1 masks on the full-width
     * layers, not as the narrow network: same logits, full-width parameters.
     */
    public static Block buildMasked(ModuleSpec spec, Shape inputShape) {
        return buildMasked(expand(spec, inputShape, ModuleRegistry.forSpec(spec)));
    }

    /** {@link #buildMasked(ModuleSpec, Shape)} of an expanded layer. */
    public static Block buildMasked(Layer layer) {
        ProcessPlan plan = ProcessPlan.of(layer);
        Set<String> masked = new HashSet<>();
        Block block = build(layer, plan, masked, null);
        if (!masked.equals(plan.maskedPaths())) {
            Set<String> missing = new TreeSet<>(plan.maskedPaths());
            missing.removeAll(masked);
            throw new IllegalStateException("cannot apply the Prune mask to " + missing
                    + ": only a Conv2d, or an operator inside a sequential module, can be masked");
        }
        return block;
    }

    /** The expanded layer tree of a resolved description, as {@link #build(ModuleSpec, Shape)} builds it. */
    public static Layer expand(ModuleSpec spec, Shape inputShape, ModuleRegistry registry) {
        if (inputShape.dimension() != 3) {
            throw new IllegalArgumentException("the input shape is one sample's C, H, W; got " + inputShape);
        }
        try {
            return new NetworkExpander(registry).expand(spec,
                    TensorShape.image(inputShape.get(0), inputShape.get(1), inputShape.get(2), "the input shape"));
        } catch (SpecException e) {
            throw new InvalidCandidateException(e.getMessage());
        }
    }

    /**
     * @param kept the narrow network's kept channels by path, or null to build the masked network
     */
    private static Block build(Layer layer, ProcessPlan plan, Set<String> masked, Map<String, KeptChannels> kept) {
        switch (layer.structure()) {
            case OPERATOR: {
                KeptChannels k = kept == null ? null : kept.get(layer.path());
                boolean narrower = k != null && k.out() != null;
                if (layer.type().equals("Conv2d")) {
                    ChannelMask mask = kept == null ? plan.mask(layer) : null;
                    if (plan.bits(layer) != null || mask != null || narrower) {
                        int[] bits = plan.bits(layer) == null ? new int[] {32, 32} : plan.bits(layer);
                        if (mask != null) {
                            masked.add(layer.path());
                        }
                        ai.djl.nn.convolutional.Conv2d.Builder b = BuiltInBlocks.conv2dBuilder(layer);
                        if (narrower) {
                            b.setFilters((int) k.keptOut());
                        }
                        if (bits[0] >= 32 && bits[1] >= 32 && mask == null) {
                            return b.build();
                        }
                        return new ProcessedConv2d(b, bits[0], bits[1], mask);
                    }
                }
                if (layer.type().equals("Linear") && narrower) {
                    return BuiltInBlocks.linear(layer, k.keptOut());
                }
                BlockFactory f = factories().get(layer.type());
                if (f == null) {
                    throw new IllegalStateException("no BlockFactory builds operator type '" + layer.type()
                            + "' (register one in META-INF/services/io.finegrained.nn.BlockFactory)");
                }
                return f.build(layer);
            }
            case RESIDUAL:
                return new ResidualBlock(build(layer.child("body"), plan, masked, kept),
                        build(layer.child("shortcut"), plan, masked, kept));
            case SEQUENTIAL: {
                NamedSequentialBlock seq = new NamedSequentialBlock();
                for (Layer child : layer.children()) {
                    seq.add(child.name(), build(child, plan, masked, kept));
                    ChannelMask mask = kept == null ? plan.mask(child) : null;
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
