package io.finegrained.space.modules;

import static io.finegrained.space.ParamKind.INT;

import io.finegrained.space.CompositeType;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.Origin;
import io.finegrained.space.ParamDef;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;

/**
 * The residual blocks. Each expands to {@code Sequential{add: Residual{body, shortcut}, relu}};
 * the shortcut is a 1×1 convolution + BatchNorm where the stride is not 1 or the widths differ,
 * the identity otherwise.
 */
public final class Blocks {
    private Blocks() {
    }

    /** Two 3×3 convolutions; {@code inner_plane} is the first one's width. */
    public static final class BasicBlock extends AbstractModule implements CompositeType {
        public BasicBlock() {
            super("BasicBlock", "Residual block of two 3x3 convolutions (ResNet-18/34, CIFAR ResNets); output width = outchannel.",
                    ParamDef.optional("inchannel", INT, "input channels; checked against the channels coming in, inferred when absent").positive(),
                    ParamDef.required("outchannel", INT, "output channels").positive(),
                    ParamDef.withDefault("stride", INT, 1L, "stride of the first convolution and of the shortcut").positive(),
                    ParamDef.optional("inner_plane", INT, "width of the first convolution; outchannel when absent").positive(),
                    ParamDef.withDefault("groups", INT, 1L, "accepted for the seed's VariantLayer; a BasicBlock supports only 1").range(1L, 1L),
                    ParamDef.withDefault("base_width", INT, 64L, "accepted for the seed's VariantLayer; a BasicBlock supports only 64").range(64L, 64L));
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            long in = Widths.incoming(spec, "inchannel", input);
            long out = spec.getLong("outchannel");
            long stride = spec.getLong("stride");
            long inner = spec.has("inner_plane") ? spec.getLong("inner_plane") : out;
            Origin innerFrom = spec.has("inner_plane") ? spec.origin("inner_plane") : spec.origin("outchannel");
            ModuleSpec body = Specs.sequential()
                    .add("conv1", Specs.conv(in, inner, 3, stride, 1, 1, spec.origin("inchannel"), innerFrom))
                    .add("bn1", Specs.of("BatchNorm2d"))
                    .add("relu1", Specs.of("ReLU"))
                    .add("conv2", Specs.conv(inner, out, 3, 1, 1, 1, innerFrom, spec.origin("outchannel")))
                    .add("bn2", Specs.of("BatchNorm2d"))
                    .build();
            return residual(body, in, out, stride, spec);
        }
    }

    /** 1×1 reduce, 3×3 (with the stride), 1×1 expand; output width = outchannel·expansion. */
    public static final class BottleneckBlock extends AbstractModule implements CompositeType {
        public BottleneckBlock() {
            super("BottleneckBlock", "Residual block 1x1, 3x3 (stride here), 1x1 (ResNet-50/101); output width = outchannel * expansion.",
                    ParamDef.optional("inchannel", INT, "input channels; checked against the channels coming in, inferred when absent").positive(),
                    ParamDef.required("outchannel", INT, "the block's base width (planes); the output is outchannel * expansion").positive(),
                    ParamDef.withDefault("stride", INT, 1L, "stride of the 3x3 convolution and of the shortcut").positive(),
                    ParamDef.withDefault("expansion", INT, 4L, "output width = outchannel * expansion").positive(),
                    ParamDef.optional("inner_plane", INT, "width of the 1x1 and 3x3 convolutions; outchannel * base_width / 64 * groups when absent").positive(),
                    ParamDef.withDefault("groups", INT, 1L, "groups of the 3x3 convolution").positive(),
                    ParamDef.withDefault("base_width", INT, 64L, "width per group (ResNeXt); 64 for a plain ResNet").positive());
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            long in = Widths.incoming(spec, "inchannel", input);
            long planes = spec.getLong("outchannel");
            long out = Math.multiplyExact(planes, spec.getLong("expansion"));
            long stride = spec.getLong("stride");
            long groups = spec.getLong("groups");
            long inner = spec.has("inner_plane") ? spec.getLong("inner_plane")
                    : Math.multiplyExact(planes * spec.getLong("base_width") / 64, groups);
            if (inner < 1) {
                throw new SpecException("base_width", "the inner width outchannel * base_width / 64 * groups is " + inner + "; it must be at least 1");
            }
            Origin innerFrom = spec.has("inner_plane") ? spec.origin("inner_plane") : spec.origin("outchannel");
            ModuleSpec body = Specs.sequential()
                    .add("conv1", Specs.conv(in, inner, 1, 1, 0, 1, spec.origin("inchannel"), innerFrom))
                    .add("bn1", Specs.of("BatchNorm2d"))
                    .add("relu1", Specs.of("ReLU"))
                    .add("conv2", Specs.conv(inner, inner, 3, stride, 1, groups, innerFrom, innerFrom))
                    .add("bn2", Specs.of("BatchNorm2d"))
                    .add("relu2", Specs.of("ReLU"))
                    .add("conv3", Specs.conv(inner, out, 1, 1, 0, 1, innerFrom, spec.origin("outchannel")))
                    .add("bn3", Specs.of("BatchNorm2d"))
                    .build();
            return residual(body, in, out, stride, spec);
        }
    }

    static ModuleSpec residual(ModuleSpec body, long in, long out, long stride, ModuleSpec spec) {
        ModuleSpec.Builder add = ModuleSpec.builder("Residual").set("body", body);
        // An unknown input width (a block directly on the input, validated before the input shape
        // is chosen) gets a projection: the real input shape decides when the network is built.
        if (stride != 1 || in != out) {
            add.set("shortcut", Specs.sequential()
                    .add("conv", Specs.conv(in, out, 1, stride, 0, 1, spec.origin("inchannel"), spec.origin("outchannel")))
                    .add("bn", Specs.of("BatchNorm2d"))
                    .build());
        }
        return Specs.sequential().add("add", add.build()).add("relu", Specs.of("ReLU")).build();
    }
}
