package io.finegrained.space.modules;

import static io.finegrained.space.ParamKind.BOOL;
import static io.finegrained.space.ParamKind.FLOAT;
import static io.finegrained.space.ParamKind.INT;
import static io.finegrained.space.ParamKind.INT_LIST;
import static io.finegrained.space.ParamKind.INT_MATRIX;
import static io.finegrained.space.ParamKind.INT_PAIR;
import static io.finegrained.space.ParamKind.STRING;

import io.finegrained.space.ModuleSpec;
import io.finegrained.space.OperatorType;
import io.finegrained.space.ParamDef;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;
import java.util.List;

/** The primitive operators: their parameters, shape rules and counts (names as in PyTorch). */
public final class Operators {
    private Operators() {
    }

    static final long UNKNOWN = TensorShape.UNKNOWN;

    /** 2-D convolution. Params = out·in/groups·kh·kw (+ out with bias); MACs = weights · output area. */
    public static final class Conv2d extends AbstractModule implements OperatorType {
        public Conv2d() {
            super("Conv2d", "2-D convolution (PyTorch's nn.Conv2d).",
                    ParamDef.optional("in_channels", INT, "input channels; checked against the channels coming in, inferred when absent").positive(),
                    ParamDef.required("out_channels", INT, "output channels").positive(),
                    ParamDef.required("kernel_size", INT_PAIR, "kernel size, n or [h, w]").positive(),
                    ParamDef.withDefault("stride", INT_PAIR, List.of(1L, 1L), "stride, n or [h, w]").positive(),
                    ParamDef.withDefault("padding", INT_PAIR, List.of(0L, 0L), "zero padding on each side, n or [h, w]").range(0L, null),
                    ParamDef.withDefault("groups", INT, 1L, "groups; divides in and out channels").positive(),
                    ParamDef.withDefault("bias", BOOL, true, "whether the layer adds a learned bias"));
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            Widths.requireImage("Conv2d", input);
            long in = Widths.incoming(spec, "in_channels", input);
            long out = spec.getLong("out_channels");
            long groups = spec.getLong("groups");
            if (in != UNKNOWN && in % groups != 0 || out % groups != 0) {
                throw new SpecException("groups", "groups " + groups + " must divide the input channels " + in + " and the output channels " + out);
            }
            List<Long> k = spec.getLongList("kernel_size");
            List<Long> s = spec.getLongList("stride");
            List<Long> p = spec.getLongList("padding");
            long h = Widths.window("Conv2d", input.dim(1), k.get(0), s.get(0), p.get(0));
            long w = Widths.window("Conv2d", input.dim(2), k.get(1), s.get(1), p.get(1));
            return TensorShape.image(out, h, w, Widths.source(spec, "out_channels", null));
        }

        @Override
        public long params(ModuleSpec spec, TensorShape input) {
            long in = spec.has("in_channels") ? spec.getLong("in_channels") : input.channels();
            if (in == UNKNOWN) {
                return UNKNOWN;
            }
            long out = spec.getLong("out_channels");
            return Math.addExact(weights(spec, in), spec.getBool("bias") ? out : 0);
        }

        @Override
        public long macs(ModuleSpec spec, TensorShape input) {
            long in = spec.has("in_channels") ? spec.getLong("in_channels") : input.channels();
            TensorShape out = outputShape(spec, input);
            if (in == UNKNOWN || out.area() == UNKNOWN) {
                return UNKNOWN;
            }
            return Math.multiplyExact(weights(spec, in), out.area());
        }

        private static long weights(ModuleSpec spec, long in) {
            List<Long> k = spec.getLongList("kernel_size");
            long perOut = Math.multiplyExact(Math.multiplyExact(in / spec.getLong("groups"), k.get(0)), k.get(1));
            return Math.multiplyExact(spec.getLong("out_channels"), perOut);
        }
    }

    /** Batch normalization over channels; gamma and beta are trainable, the running statistics are not. */
    public static final class BatchNorm2d extends AbstractModule implements OperatorType {
        public BatchNorm2d() {
            super("BatchNorm2d", "Batch normalization over the channels of an image (PyTorch's nn.BatchNorm2d).",
                    ParamDef.optional("num_features", INT, "channels; checked against the channels coming in, inferred when absent").positive(),
                    ParamDef.withDefault("eps", FLOAT, 1e-5, "added to the variance"),
                    ParamDef.withDefault("momentum", FLOAT, 0.1, "weight of the newest batch in the running statistics (PyTorch's convention)"));
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            Widths.requireImage("BatchNorm2d", input);
            Widths.incoming(spec, "num_features", input);
            return input;
        }

        @Override
        public long params(ModuleSpec spec, TensorShape input) {
            return input.channels() == UNKNOWN ? UNKNOWN : 2 * input.channels();
        }
    }

    /** max(x, 0). */
    public static final class ReLU extends AbstractModule implements OperatorType {
        public ReLU() {
            super("ReLU", "Rectified linear unit, max(x, 0).");
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            return input;
        }
    }

    /** The identity. */
    public static final class Identity extends AbstractModule implements OperatorType {
        public Identity() {
            super("Identity", "Passes its input through unchanged.");
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            return input;
        }
    }

    /** 2-D max pooling. */
    public static final class MaxPool2d extends AbstractModule implements OperatorType {
        public MaxPool2d() {
            super("MaxPool2d", "2-D max pooling (PyTorch's nn.MaxPool2d).",
                    ParamDef.required("kernel_size", INT_PAIR, "window size, n or [h, w]").positive(),
                    ParamDef.optional("stride", INT_PAIR, "stride, n or [h, w]; the kernel size when absent").positive(),
                    ParamDef.withDefault("padding", INT_PAIR, List.of(0L, 0L), "padding on each side (at most half the kernel)").range(0L, null));
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            Widths.requireImage("MaxPool2d", input);
            List<Long> k = spec.getLongList("kernel_size");
            List<Long> s = spec.has("stride") ? spec.getLongList("stride") : k;
            List<Long> p = spec.getLongList("padding");
            if (p.get(0) * 2 > k.get(0) || p.get(1) * 2 > k.get(1)) {
                throw new SpecException("padding", "padding " + p + " must be at most half the kernel size " + k);
            }
            long h = Widths.window("MaxPool2d", input.dim(1), k.get(0), s.get(0), p.get(0));
            long w = Widths.window("MaxPool2d", input.dim(2), k.get(1), s.get(1), p.get(1));
            return TensorShape.image(input.channels(), h, w, input.channelsFrom());
        }
    }

    /** Adaptive average pooling to a fixed output size. */
    public static final class AdaptiveAvgPool2d extends AbstractModule implements OperatorType {
        public AdaptiveAvgPool2d() {
            super("AdaptiveAvgPool2d", "Average pooling to a fixed output size (PyTorch's nn.AdaptiveAvgPool2d); [1, 1] is global average pooling."
                            + " Sizes other than [1, 1] need an input divisible by them.",
                    ParamDef.withDefault("output_size", INT_PAIR, List.of(1L, 1L), "output size, n or [h, w]").positive());
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            Widths.requireImage("AdaptiveAvgPool2d", input);
            List<Long> o = spec.getLongList("output_size");
            for (int i = 0; i < 2; i++) {
                long size = input.dim(i + 1);
                if (size != UNKNOWN && (size < o.get(i) || o.get(i) != 1 && size % o.get(i) != 0)) {
                    throw new SpecException("output_size", "output_size " + o + " does not divide the input size " + input);
                }
            }
            return TensorShape.image(input.channels(), o.get(0), o.get(1), input.channelsFrom());
        }
    }

    /** Flattens each sample: [C, H, W] becomes [C·H·W] (the seed's {@code x.view(x.size(0), -1)}). */
    public static final class View extends AbstractModule implements OperatorType {
        public View() {
            super("View", "Flattens each sample to a vector of C*H*W features (x.view(batch, -1)).");
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            return TensorShape.of(input.channelsFrom(), input.size());
        }
    }

    /** Fully connected layer. Params = in·out (+ out); MACs = in·out. */
    public static final class Linear extends AbstractModule implements OperatorType {
        public Linear() {
            super("Linear", "Fully connected layer (PyTorch's nn.Linear); needs flat features (put a View before it).",
                    ParamDef.optional("in_features", INT, "input features; checked against the features coming in, inferred when absent").positive(),
                    ParamDef.required("out_features", INT, "output features").positive(),
                    ParamDef.withDefault("bias", BOOL, true, "whether the layer adds a learned bias"));
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            if (input.rank() != 1) {
                throw new SpecException(null, "Linear needs flat features, but " + input + " comes in (put a View, or a pooling and a View, before it)");
            }
            Widths.incoming(spec, "in_features", input);
            return TensorShape.of(Widths.source(spec, "out_features", null), spec.getLong("out_features"));
        }

        @Override
        public long params(ModuleSpec spec, TensorShape input) {
            long in = input.channels();
            long out = spec.getLong("out_features");
            return in == UNKNOWN ? UNKNOWN : Math.addExact(Math.multiplyExact(in, out), spec.getBool("bias") ? out : 0);
        }

        @Override
        public long macs(ModuleSpec spec, TensorShape input) {
            long in = input.channels();
            return in == UNKNOWN ? UNKNOWN : Math.multiplyExact(in, spec.getLong("out_features"));
        }
    }

    /**
     * Quantization of the network before it: bit widths of each quantizable layer. The identity
     * where it stands; the built network simulates the quantization of those layers.
     */
    public static final class Quant extends AbstractModule implements OperatorType {
        public Quant() {
            super("Quant", "Quantizes the network before it: one weight and one activation bit width per quantizable layer"
                            + " (every convolution after the stem, shortcuts after their block). The identity where it stands;"
                            + " the built network fake-quantizes those layers' weights and inputs (simulated: no integer kernels).",
                    Role.QUANT,
                    ParamDef.optional(Role.WEIGHT_BITS, INT_LIST, "weight bit widths, one per quantizable layer").range(1L, 32L),
                    ParamDef.optional(Role.ACTIVATION_BITS, INT_LIST, "activation bit widths, one per quantizable layer").range(1L, 32L),
                    ParamDef.optional("init_model_file", STRING, "a model exported by finegrained to start from (read when train or"
                            + " search starts, never by explain)"),
                    ParamDef.optional("path", STRING, "Vega's name for init_model_file"));
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            return input;
        }
    }

    /**
     * Channel pruning of the network before it: a 0/1 keep-mask per prunable channel group. The
     * identity where it stands; the built network has only the kept channels.
     * {@code init_model_file} is never opened by this layer (the training reads it).
     */
    public static final class Prune extends AbstractModule implements OperatorType {
        public Prune() {
            super("Prune", "Prunes channels of the network before it: chn_mask holds one 0/1 keep-mask per prunable channel group"
                            + " (each block's inner width, each stage's output width). The identity where it stands;"
                            + " the built network is the narrow one: only the kept channels of every convolution, BatchNorm and linear layer.",
                    Role.PRUNE,
                    ParamDef.optional("chn_node_mask", INT_MATRIX, "one 0/1 mask per residual block's output, in forward order;"
                            + " blocks adding into one stage must agree").bits(),
                    ParamDef.optional(Role.KEEP_MASK, INT_MATRIX, "one 0/1 keep-mask per prunable channel group").bits(),
                    ParamDef.optional("init_model_file", STRING, "a model exported by finegrained to start from, cut to the kept"
                            + " channels (read when train or search starts, never by explain)"),
                    ParamDef.optional("path", STRING, "Vega's name for init_model_file"));
        }

        @Override
        public TensorShape outputShape(ModuleSpec spec, TensorShape input) {
            return input;
        }
    }
}
