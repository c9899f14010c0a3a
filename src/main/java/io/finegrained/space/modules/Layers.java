package io.finegrained.space.modules;

import static io.finegrained.space.ParamKind.INT;
import static io.finegrained.space.ParamKind.INT_LIST;
import static io.finegrained.space.ParamKind.ITEMS;
import static io.finegrained.space.ParamKind.MODULE;

import io.finegrained.space.CompositeType;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.ParamDef;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stages of residual blocks and the classification head. */
public final class Layers {
    private Layers() {
    }

    /**
     * The four stages of a ResNet as one {@code Repeat}: {@code layer_reps[i]} blocks of width
     * {@code plane·2^i}, stride 2 on the first block of every stage after the first.
     */
    public static final class BasicLayer extends AbstractModule implements CompositeType {
        public BasicLayer() {
            super("BasicLayer", "ResNet stages: layer_reps[i] blocks of width plane*2^i, stride 2 on the first block of every stage after the first"
                            + " (or the widths and strides of items); expands to a Repeat (blocks named 0, 1, ...)",
                    ParamDef.optional("in_plane", INT, "input channels; checked against the channels coming in, inferred when absent").positive(),
                    ParamDef.withDefault("expansion", INT, 1L, "block output width = block width * expansion (4 for BottleneckBlock)").positive(),
                    ParamDef.withDefault("block", MODULE, Specs.of("BasicBlock"), "the block to repeat"),
                    ParamDef.required("layer_reps", INT_LIST, "blocks per stage").positive(),
                    ParamDef.withDefault("plane", INT, 64L, "width of the first stage").positive(),
                    ParamDef.optional("items", ITEMS, "per-block parameters (outchannel, stride, ...) instead of the standard widths"));
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            Widths.incoming(spec, "in_plane", input);
            List<Long> reps = spec.getLongList("layer_reps");
            long total = reps.stream().mapToLong(Long::longValue).sum();
            ModuleSpec block = withExpansion(spec.getModule("block"), spec.getLong("expansion"), spec, "expansion");
            ModuleSpec.Builder repeat = ModuleSpec.builder("Repeat").set("num_reps", total, spec.origin("layer_reps")).set("ref", block, spec.origin("block"));
            if (spec.has("items")) {
                repeat.copy("items", spec, "items");
            } else {
                List<Long> out = new ArrayList<>();
                List<Long> stride = new ArrayList<>();
                long plane = spec.getLong("plane");
                for (int stage = 0; stage < reps.size(); stage++) {
                    for (long b = 0; b < reps.get(stage); b++) {
                        out.add(Math.multiplyExact(plane, 1L << Math.min(stage, 40)));
                        stride.add(stage > 0 && b == 0 ? 2L : 1L);
                    }
                }
                Map<String, List<Long>> items = new LinkedHashMap<>();
                items.put("outchannel", out);
                items.put("stride", stride);
                repeat.set("items", items).origin("items.outchannel", spec.origin("plane"));
            }
            return repeat.build();
        }
    }

    /**
     * The block template with {@code expansion} passed on when its type takes one; an expansion
     * other than 1 for a type that has none is an error.
     */
    public static ModuleSpec withExpansion(ModuleSpec block, long expansion, ModuleSpec owner, String key) {
        boolean takesExpansion = ModuleRegistry.standard().find(block.type())
                .map(t -> t.parameter("expansion").isPresent()).orElse(false);
        if (takesExpansion) {
            if (block.has("expansion") && block.getLong("expansion") != expansion) {
                throw new SpecException(key, key + " is " + expansion + " but the block's own expansion is " + block.getLong("expansion"));
            }
            return block.with("expansion", expansion);
        }
        if (expansion != 1) {
            throw new SpecException(key, key + " is " + expansion + " but " + block.type() + " has no expansion (its output width is its outchannel); use 1");
        }
        return block;
    }

    /** Global average pooling, flatten, Linear. */
    public static final class LinearClassificationHead extends AbstractModule implements CompositeType {
        public LinearClassificationHead() {
            super("LinearClassificationHead", "Classifier: global average pooling, flatten, Linear(base_channel, num_class).",
                    ParamDef.optional("base_channel", INT, "input channels; checked against the channels coming in, inferred when absent").positive(),
                    ParamDef.withDefault("num_class", INT, 10L, "number of classes").positive());
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            Widths.requireImage("LinearClassificationHead", input);
            long in = Widths.incoming(spec, "base_channel", input);
            ModuleSpec.Builder linear = ModuleSpec.builder("Linear");
            if (in != TensorShape.UNKNOWN) {
                linear.set("in_features", in, spec.origin("base_channel"));
            }
            linear.set("out_features", spec.getLong("num_class"), spec.origin("num_class"));
            return Specs.sequential()
                    .add("pool", Specs.of("AdaptiveAvgPool2d"))
                    .add("view", Specs.of("View"))
                    .add("linear", linear.build())
                    .build();
        }
    }
}
