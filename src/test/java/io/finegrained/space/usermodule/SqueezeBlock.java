package io.finegrained.space.usermodule;

import io.finegrained.space.CompositeType;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.ParamDef;
import io.finegrained.space.ParamKind;
import io.finegrained.space.TensorShape;
import io.finegrained.space.modules.AbstractModule;
import io.finegrained.space.modules.Specs;
import io.finegrained.space.modules.Widths;

/**
 * A module as a user writes one in their own jar: a 1x1 convolution that narrows the channels,
 * BatchNorm and ReLU. Registered by src/test/resources/META-INF/services, no project code names it.
 */
public final class SqueezeBlock extends AbstractModule implements CompositeType {
    public SqueezeBlock() {
        super("TestSqueezeBlock", "1x1 convolution to width, BatchNorm, ReLU (a test user module).",
                ParamDef.optional("in_plane", ParamKind.INT, "input channels; checked when written").positive(),
                ParamDef.required("width", ParamKind.INT, "output channels").positive());
    }

    @Override
    public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
        long in = Widths.incoming(spec, "in_plane", input);
        return Specs.sequential()
                .add("conv", Specs.conv(in, spec.getLong("width"), 1, 1, 0, 1, spec.origin("in_plane"), spec.origin("width")))
                .add("bn", Specs.of("BatchNorm2d"))
                .add("relu", Specs.of("ReLU"))
                .build();
    }
}
