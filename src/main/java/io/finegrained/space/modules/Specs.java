package io.finegrained.space.modules;

import io.finegrained.space.ModuleSpec;
import io.finegrained.space.Origin;
import java.util.ArrayList;
import java.util.List;

/** Small builders for the descriptions composites expand into. */
public final class Specs {
    private Specs() {
    }

    /** A Sequential of named children, built in order with {@link Seq#add}. */
    public static Seq sequential() {
        return new Seq();
    }

    /** A convolution without bias, the way ResNets use them; {@code outFrom} is where its width was written. */
    public static ModuleSpec conv(long in, long out, long kernel, long stride, long padding, long groups, Origin inFrom, Origin outFrom) {
        ModuleSpec.Builder b = ModuleSpec.builder("Conv2d");
        if (in != io.finegrained.space.TensorShape.UNKNOWN) {
            b.set("in_channels", in, inFrom);
        }
        return b.set("out_channels", out, outFrom)
                .set("kernel_size", List.of(kernel, kernel))
                .set("stride", List.of(stride, stride))
                .set("padding", List.of(padding, padding))
                .set("groups", groups)
                .set("bias", false)
                .build();
    }

    public static ModuleSpec of(String type) {
        return ModuleSpec.builder(type).build();
    }

    /** Builder of a Sequential description. */
    public static final class Seq {
        private final List<String> ids = new ArrayList<>();
        private final ModuleSpec.Builder builder = ModuleSpec.builder("Sequential");

        public Seq add(String id, ModuleSpec child) {
            ids.add(id);
            builder.set(id, child);
            return this;
        }

        public ModuleSpec build() {
            builder.set("modules", List.copyOf(ids));
            return builder.build();
        }
    }
}
