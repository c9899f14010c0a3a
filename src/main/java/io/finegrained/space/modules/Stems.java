package io.finegrained.space.modules;

import static io.finegrained.space.ParamKind.INT;

import io.finegrained.space.CompositeType;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.ParamDef;
import io.finegrained.space.TensorShape;
import java.util.List;

/** The stems; their input channels always come from the input shape. */
public final class Stems {
    private Stems() {
    }

    /** ImageNet stem: 7×7 stride-2 convolution, BatchNorm, ReLU, 3×3 stride-2 max-pool. */
    public static final class InitialBlock extends AbstractModule implements CompositeType {
        public InitialBlock() {
            super("InitialBlock", "ImageNet stem: 7x7 stride-2 convolution (no bias), BatchNorm, ReLU, 3x3 stride-2 max-pool (padding 1).",
                    Role.STEM,
                    ParamDef.withDefault("init_plane", INT, 64L, "output channels").positive());
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            return Specs.sequential()
                    .add("conv", Specs.conv(TensorShape.UNKNOWN, spec.getLong("init_plane"), 7, 2, 3, 1, null, spec.origin("init_plane")))
                    .add("bn", Specs.of("BatchNorm2d"))
                    .add("relu", Specs.of("ReLU"))
                    .add("pool", ModuleSpec.builder("MaxPool2d").set("kernel_size", List.of(3L, 3L)).set("stride", List.of(2L, 2L))
                            .set("padding", List.of(1L, 1L)).build())
                    .build();
        }
    }

    /** CIFAR stem: 3×3 stride-1 convolution, BatchNorm, ReLU. */
    public static final class SmallInputInitialBlock extends AbstractModule implements CompositeType {
        public SmallInputInitialBlock() {
            super("SmallInputInitialBlock", "Small-input (CIFAR) stem: 3x3 stride-1 convolution (no bias, padding 1), BatchNorm, ReLU.",
                    Role.STEM,
                    ParamDef.withDefault("init_plane", INT, 16L, "output channels").positive());
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            return Specs.sequential()
                    .add("conv", Specs.conv(TensorShape.UNKNOWN, spec.getLong("init_plane"), 3, 1, 1, 1, null, spec.origin("init_plane")))
                    .add("bn", Specs.of("BatchNorm2d"))
                    .add("relu", Specs.of("ReLU"))
                    .build();
        }
    }
}
