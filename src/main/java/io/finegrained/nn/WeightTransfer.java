package io.finegrained.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.finegrained.space.KeptChannels;
import java.util.HashMap;
import java.util.Map;

/**
 * Copies the parameters of one initialized network into another, parameter by parameter under
 * the same name: unchanged where the shapes are equal, cut to the kept channels where the target
 * is the narrow network of a Prune ({@link KeptChannels}) and the source its full-width parent.
 * Anything else is a {@link Mismatch} naming the first parameter that does not fit, with both
 * shapes. Works on host copies of the arrays, so the two networks may live on different managers
 * or devices.
 */
public final class WeightTransfer {
    /** Parameter names of the operators the narrow network cuts (DJL's names for them). */
    private static final java.util.List<String> CUT = java.util.List.of("weight", "bias", "gamma", "beta", "runningMean", "runningVar");

    private WeightTransfer() {
    }

    /** A source whose parameters do not fit the target network. */
    public static final class Mismatch extends RuntimeException {
        public Mismatch(String message) {
            super(message);
        }
    }

    /**
     * @param from the source network, initialized or loaded
     * @param to the target network, initialized; every parameter is overwritten
     * @param kept what the target keeps of each cut layer, by path ({@code ProcessModules.keptChannels}); empty when nothing is cut
     * @throws Mismatch for the first target parameter (in the target's order) that the source lacks or cannot give
     */
    public static void copy(Block from, Block to, Map<String, KeptChannels> kept) {
        Map<String, KeptChannels> byName = new HashMap<>();
        for (KeptChannels k : kept.values()) {
            String prefix = k.path().replace('.', '_') + "_";
            for (String p : CUT) {
                byName.put(prefix + p, k);
            }
        }
        PairList<String, Parameter> source = from.getParameters();
        PairList<String, Parameter> target = to.getParameters();
        for (Pair<String, Parameter> p : target) {
            String name = p.getKey();
            Parameter s = source.get(name);
            if (s == null || s.getArray() == null) {
                throw new Mismatch("parameter " + name + " (shape " + shape(p.getValue().getArray().getShape())
                        + " in the network) is not in the model");
            }
            NDArray src = s.getArray();
            NDArray dst = p.getValue().getArray();
            if (src.getShape().equals(dst.getShape())) {
                dst.set(src.toFloatArray());
                continue;
            }
            KeptChannels k = byName.get(name);
            float[] cut = k == null ? null : cut(src.toFloatArray(), src.getShape(), k, dst.getShape());
            if (cut == null) {
                throw new Mismatch("parameter " + name + " has shape " + shape(src.getShape()) + " in the model but "
                        + shape(dst.getShape()) + " in the network");
            }
            dst.set(cut);
        }
        for (Pair<String, Parameter> p : source) {
            if (target.get(p.getKey()) == null) {
                throw new Mismatch("parameter " + p.getKey() + " (shape " + shape(p.getValue().getArray().getShape())
                        + " in the model) is not in the network");
            }
        }
    }

    /**
     * The rows (axis 0) of the kept outputs and, along axis 1, the blocks of the kept inputs (a
     * convolution's input channel is one block of kh·kw values; a linear layer's, after a
     * flatten, one of H·W features), or null when that does not give {@code want}.
     */
    static float[] cut(float[] values, Shape shape, KeptChannels k, Shape want) {
        if (shape.dimension() == 0 || shape.dimension() != want.dimension()) {
            return null;
        }
        long rows = shape.get(0);
        boolean isNorm = k.type().equals("BatchNorm2d");
        int[] rowSel = isNorm ? k.out() : k.out();
        if (rowSel != null && rows != k.outWidth()) {
            return null;
        }
        long rowSize = shape.size() / rows;
        int[] colSel = shape.dimension() == 1 || isNorm ? null : k.in();
        long blocks = colSel == null ? 1 : k.inWidth();
        if (rowSize % blocks != 0) {
            return null;
        }
        long block = rowSize / blocks;
        int[] r = rowSel == null ? range(rows) : rowSel;
        int[] c = colSel == null ? range(blocks) : colSel;
        long[] wantDims = shape.getShape().clone();
        wantDims[0] = r.length;
        if (colSel != null) {
            wantDims[1] = shape.get(1) / blocks * c.length;
        }
        if (!new Shape(wantDims).equals(want)) {
            return null;
        }
        float[] out = new float[Math.toIntExact((long) r.length * c.length * block)];
        int at = 0;
        for (int row : r) {
            for (int col : c) {
                System.arraycopy(values, Math.toIntExact(row * rowSize + col * block), out, at, (int) block);
                at += (int) block;
            }
        }
        return out;
    }

    private static int[] range(long n) {
        return java.util.stream.IntStream.range(0, Math.toIntExact(n)).toArray();
    }

    private static String shape(Shape s) {
        return s.toString();
    }
}
