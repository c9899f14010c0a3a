package io.finegrained.space.variant;

import static io.finegrained.space.ParamKind.INT;
import static io.finegrained.space.ParamKind.INT_LIST;
import static io.finegrained.space.ParamKind.MODULE;

import io.finegrained.space.CompositeType;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.Origin;
import io.finegrained.space.ParamDef;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;
import io.finegrained.space.modules.AbstractModule;
import io.finegrained.space.modules.Layers;
import io.finegrained.space.modules.Widths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's {@code VariantLayer}, written as a user module would be: only the public extension
 * API ({@link CompositeType}, {@link ModuleSpec}, {@link ParamDef}) and registered through
 * {@code META-INF/services/io.finegrained.space.ModuleType}, not by the project's registry code.
 *
 * <p>Semantics (decided against the seed's YAML, see docs/search-space.md): the width starts at
 * {@code in_plane}; block i takes the current input, doubles the width when
 * {@code doublechannel[i]} is 1, and has stride 2 when {@code downsample[i]} is 1; the next block
 * takes width·expansion. {@code out_plane}, when written, must equal the last block's width
 * (32 doubled four times = 512 in the seed).
 */
public final class VariantLayer extends AbstractModule implements CompositeType {

    public VariantLayer() {
        super("VariantLayer", "Residual blocks whose width starts at in_plane and doubles where doublechannel is 1, with stride 2 where"
                        + " downsample is 1; expands to a Repeat (named 0, 1, ...).",
                ParamDef.optional("in_plane", INT, "the starting width and the input channels; checked against the channels coming in,"
                        + " inferred when absent").positive(),
                ParamDef.optional("out_plane", INT, "the last block's width; checked against the widths the codes give").positive(),
                ParamDef.required("doublechannel", INT_LIST, "one bit per block: 1 doubles the width").bits(),
                ParamDef.required("downsample", INT_LIST, "one bit per block: 1 gives stride 2").bits(),
                ParamDef.withDefault("expansion", INT, 1L, "block output = block width * expansion (4 for BottleneckBlock)").positive(),
                ParamDef.withDefault("block", MODULE, ModuleSpec.builder("BasicBlock").build(), "the block to repeat"),
                ParamDef.withDefault("groups", INT, 1L, "passed to every block").positive(),
                ParamDef.withDefault("base_width", INT, 64L, "passed to every block").positive());
    }

    @Override
    public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
        List<Long> doubles = spec.getLongList("doublechannel");
        List<Long> down = spec.getLongList("downsample");
        if (down.size() != doubles.size()) {
            throw new SpecException("downsample", "downsample has " + down.size() + " entries but doublechannel has " + doubles.size());
        }
        if (doubles.isEmpty()) {
            throw new SpecException("doublechannel", "doublechannel is empty: a VariantLayer needs at least one block");
        }
        long start = Widths.incoming(spec, "in_plane", input);
        if (start == TensorShape.UNKNOWN) {
            throw new SpecException("in_plane", "in_plane is needed when the channels coming in are not known yet");
        }
        long expansion = spec.getLong("expansion");
        List<Long> outchannel = new ArrayList<>();
        List<Long> stride = new ArrayList<>();
        long width = start;
        for (int i = 0; i < doubles.size(); i++) {
            width = doubles.get(i) == 1 ? Math.multiplyExact(width, 2) : width;
            outchannel.add(width);
            stride.add(down.get(i) == 1 ? 2L : 1L);
        }
        if (spec.has("out_plane") && spec.getLong("out_plane") != width) {
            long doublings = doubles.stream().filter(b -> b == 1).count();
            String from = spec.has("in_plane") ? Widths.source(spec, "in_plane", "in_plane") + " = " + start
                    : "the " + start + " channels coming in";
            throw new SpecException("out_plane", "out_plane is " + spec.getLong("out_plane") + " but the blocks end at width " + width
                    + " (" + from + ", doubled at " + doublings + " of " + doubles.size() + " blocks by "
                    + Widths.source(spec, "doublechannel", "doublechannel") + ")");
        }
        ModuleSpec block = Layers.withExpansion(spec.getModule("block"), expansion, spec, "expansion");
        Map<String, List<Long>> items = new LinkedHashMap<>();
        items.put("outchannel", outchannel);
        items.put("stride", stride);
        if (block.type().equals("BasicBlock") || block.type().equals("BottleneckBlock")) {
            items.put("groups", repeat(spec.getLong("groups"), doubles.size()));
            items.put("base_width", repeat(spec.getLong("base_width"), doubles.size()));
        }
        Origin codes = spec.origin("doublechannel");
        ModuleSpec repeat = ModuleSpec.builder("Repeat")
                .set("num_reps", (long) doubles.size())
                .set("items", items)
                .origin("items.outchannel", codes)
                .origin("items.stride", spec.origin("downsample"))
                .origin("items.groups", spec.origin("groups"))
                .origin("items.base_width", spec.origin("base_width"))
                .set("ref", block, spec.origin("block"))
                .build();
        return repeat;
    }

    private static List<Long> repeat(long value, int n) {
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(value);
        }
        return out;
    }
}
