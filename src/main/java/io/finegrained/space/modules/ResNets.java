package io.finegrained.space.modules;

import static io.finegrained.space.ParamKind.BOOL;
import static io.finegrained.space.ParamKind.INT;
import static io.finegrained.space.ParamKind.INT_LIST;
import static io.finegrained.space.ParamKind.ITEMS;
import static io.finegrained.space.ParamKind.MODULE;

import io.finegrained.space.CompositeType;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.Origin;
import io.finegrained.space.ParamDef;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Whole networks: ResNet (presets and CIFAR depths) and ResNetVariant. */
public final class ResNets {
    private ResNets() {
    }

    /**
     * {@code depth} 18/34/50/101/152: ImageNet stem, stage widths 64·2^i. Depth 6n+2 (20, 32,
     * 44, 56, 110): CIFAR stem of {@code init_plane}, BasicBlocks given by {@code items} (and
     * {@code num_reps}) or the standard three stages of n blocks, widths init_plane·2^i. Both end
     * with a LinearClassificationHead of {@code num_class}.
     */
    public static final class ResNet extends AbstractModule implements CompositeType {
        public ResNet() {
            super("ResNet", "A ResNet: depth 18/34/50/101/152 is the ImageNet-stem preset (widths 64*2^i);"
                            + " depth 6n+2 (20, 32, 44, 56, 110) the CIFAR form (stem of init_plane, BasicBlocks from items or three stages of n).",
                    ParamDef.required("depth", INT, "18, 34, 50, 101, 152, or 6n+2").positive(),
                    ParamDef.withDefault("num_class", INT, 10L, "number of classes").positive(),
                    ParamDef.optional("block", MODULE, "the block type; BasicBlock (18, 34, 6n+2) or BottleneckBlock (50, 101, 152) when absent"),
                    ParamDef.optional("init_plane", INT, "stem width; 64 for a preset, 16 for a CIFAR depth").positive(),
                    ParamDef.optional("out_plane", INT, "the last block's width; checked when written").positive(),
                    ParamDef.optional("num_reps", INT, "CIFAR form: the number of blocks; checked against depth and items").positive(),
                    ParamDef.optional("items", ITEMS, "CIFAR form: per-block inchannel, outchannel, stride, inner_plane lists"));
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            long depth = spec.getLong("depth");
            ResNetPresets preset = ResNetPresets.BY_DEPTH.get(depth);
            Specs.Seq net = Specs.sequential();
            if (preset != null) {
                for (String key : List.of("items", "num_reps")) {
                    if (spec.has(key)) {
                        throw new SpecException(key, key + " describes a CIFAR ResNet (depth 6n+2); depth " + depth
                                + " is a preset with widths 64*2^i");
                    }
                }
                ModuleSpec block = blockOf(spec, preset.block(), depth);
                ModuleSpec.Builder stem = ModuleSpec.builder("InitialBlock");
                stem.set("init_plane", spec.has("init_plane") ? spec.getLong("init_plane") : 64L, spec.origin("init_plane"));
                checkOutPlane(spec, 64L * 8, "the preset's last stage width (64 * 2^3)");
                net.add("stem", stem.build());
                net.add("layers", ModuleSpec.builder("BasicLayer")
                        .set("expansion", preset.expansion())
                        .set("block", block, spec.origin("block"))
                        .set("layer_reps", preset.layerReps(), spec.origin("depth"))
                        .build());
            } else if (depth >= 8 && (depth - 2) % 6 == 0) {
                ModuleSpec block = blockOf(spec, "BasicBlock", depth);
                long init = spec.has("init_plane") ? spec.getLong("init_plane") : 16L;
                net.add("stem", ModuleSpec.builder("SmallInputInitialBlock").set("init_plane", init, spec.origin("init_plane")).build());
                ModuleSpec.Builder repeat = ModuleSpec.builder("Repeat").set("ref", block, spec.origin("block"));
                if (spec.has("items")) {
                    Map<String, List<Long>> items = spec.getItems("items");
                    int n = Repeat.reps(spec, items, "num_reps", "items");
                    if (2L * n + 2 != depth) {
                        throw new SpecException("depth", "depth " + depth + " needs " + (depth - 2) / 2 + " blocks (depth = 2 * blocks + 2), but "
                                + (spec.has("num_reps") ? "num_reps is " : "the items lists have ") + n);
                    }
                    repeat.set("num_reps", (long) n, spec.origin("num_reps")).copy("items", spec, "items");
                    List<Long> out = items.get("outchannel");
                    if (out != null) {
                        Origin o = spec.origin("items.outchannel");
                        checkOutPlane(spec, out.get(n - 1), "the last block's outchannel" + (o == null ? "" : " (" + o.element(n - 1).keyPath() + ")"));
                    }
                } else {
                    long perStage = (depth - 2) / 6;
                    if (spec.has("num_reps") && spec.getLong("num_reps") != 3 * perStage) {
                        throw new SpecException("num_reps", "num_reps is " + spec.getLong("num_reps") + " but depth " + depth + " has " + 3 * perStage + " blocks");
                    }
                    List<Long> out = new ArrayList<>();
                    List<Long> stride = new ArrayList<>();
                    for (int stage = 0; stage < 3; stage++) {
                        for (long b = 0; b < perStage; b++) {
                            out.add(init << stage);
                            stride.add(stage > 0 && b == 0 ? 2L : 1L);
                        }
                    }
                    Map<String, List<Long>> items = new LinkedHashMap<>();
                    items.put("outchannel", out);
                    items.put("stride", stride);
                    repeat.set("num_reps", 3 * perStage).set("items", items).origin("items.outchannel", spec.origin("init_plane"));
                    checkOutPlane(spec, init * 4, "the last stage width (init_plane * 4)");
                }
                net.add("layers", repeat.build());
            } else {
                throw new SpecException("depth", "depth " + depth + " is neither a preset (" + ResNetPresets.DEPTHS
                        + ") nor a CIFAR depth 6n+2 (20, 32, 44, 56, 110, ...)");
            }
            net.add("head", ModuleSpec.builder("LinearClassificationHead").set("num_class", spec.getLong("num_class"), spec.origin("num_class")).build());
            return net.build();
        }

        private static ModuleSpec blockOf(ModuleSpec spec, String expected, long depth) {
            if (!spec.has("block")) {
                return Specs.of(expected);
            }
            ModuleSpec block = spec.getModule("block");
            if (!block.type().equals(expected)) {
                throw new SpecException("block", "depth " + depth + " is built of " + expected + ", but block is " + block.type());
            }
            return block;
        }

        private static void checkOutPlane(ModuleSpec spec, long actual, String what) {
            if (spec.has("out_plane") && spec.getLong("out_plane") != actual) {
                throw new SpecException("out_plane", "out_plane is " + spec.getLong("out_plane") + " but " + what + " is " + actual);
            }
        }
    }

    /**
     * A ResNet whose blocks double their width and downsample where the binary codes say:
     * stem of {@code base_channel} (CIFAR stem unless {@code small_input: false}), a VariantLayer
     * starting at {@code base_channel}, a LinearClassificationHead.
     */
    public static final class ResNetVariant extends AbstractModule implements CompositeType {
        public ResNetVariant() {
            super("ResNetVariant", "A ResNet reshaped by binary codes (BackboneNas): base_depth's block type and block count, a stem and"
                            + " starting width of base_channel, widths doubling where doublechannel is 1, stride 2 where downsample is 1.",
                    ParamDef.required("base_depth", INT, "18, 34, 50, 101 or 152: the block type and the number of blocks").positive(),
                    ParamDef.withDefault("base_channel", INT, 64L, "stem width and the first block width").positive(),
                    ParamDef.required("doublechannel", INT_LIST, "one bit per block: 1 doubles the width").bits(),
                    ParamDef.required("downsample", INT_LIST, "one bit per block: 1 gives stride 2").bits(),
                    ParamDef.withDefault("num_class", INT, 10L, "number of classes").positive(),
                    ParamDef.withDefault("small_input", BOOL, true, "CIFAR stem (3x3, stride 1) when true, ImageNet stem when false"));
        }

        @Override
        public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
            long depth = spec.getLong("base_depth");
            ResNetPresets preset = ResNetPresets.BY_DEPTH.get(depth);
            if (preset == null) {
                throw new SpecException("base_depth", "base_depth " + depth + " is not one of " + ResNetPresets.DEPTHS);
            }
            for (String key : List.of("doublechannel", "downsample")) {
                int n = spec.getLongList(key).size();
                if (n != preset.blocks()) {
                    throw new SpecException(key, key + " has " + n + " entries but base_depth " + depth + " has " + preset.blocks() + " blocks");
                }
            }
            String stem = spec.getBool("small_input") ? "SmallInputInitialBlock" : "InitialBlock";
            return Specs.sequential()
                    .add("stem", ModuleSpec.builder(stem).set("init_plane", spec.getLong("base_channel"), spec.origin("base_channel")).build())
                    .add("layer", ModuleSpec.builder("VariantLayer")
                            .set("in_plane", spec.getLong("base_channel"), spec.origin("base_channel"))
                            .copy("doublechannel", spec, "doublechannel")
                            .copy("downsample", spec, "downsample")
                            .set("expansion", preset.expansion())
                            .set("block", Specs.of(preset.block()))
                            .build())
                    .add("head", ModuleSpec.builder("LinearClassificationHead").copy("num_class", spec, "num_class").build())
                    .build();
        }
    }

}
