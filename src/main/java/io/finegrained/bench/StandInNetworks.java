package io.finegrained.bench;

import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small pure-arithmetic {@link NetworkFacts} for the seed's networks, written from the
 * definitions in ARCHITECTURE.md (MACs of convolutions and linear layers for one sample; bit-ops
 * = MACs × w × a / 1024 with the stem and classifier at 32 × 32; quantizable layers = every
 * convolution after the stem, shortcuts after their block's convolutions; prunable groups = each
 * block's inner width and each stage's output width). They let the search layer be measured
 * without the {@code nn} package; the real implementation is {@code nn.NetworkAnalysis}.
 */
public final class StandInNetworks {
    private StandInNetworks() {
    }

    static int bit(Object o) {
        return ((Number) o).intValue();
    }

    static List<Integer> ints(Object value) {
        List<Integer> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            out.add(bit(o));
        }
        return out;
    }

    static String identityOf(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(io.finegrained.search.Replay.normalized(v)).append(';'));
        return sb.toString();
    }

    /**
     * The seed's BackboneNas network (conf/seed/backbone_nas_seed.yml) on 3 × 32 × 32: a 3 × 3
     * stem to 32 channels, eight BasicBlocks whose width starts at 32 and doubles where
     * {@code layer.doublechannel} is 1 and whose stride is 2 where {@code layer.downsample} is 1
     * (padding 1, so a side of s becomes ceil(s / 2)), a 1 × 1 shortcut where the shape changes,
     * and a 512 → 10 linear head: a code that does not end at 512 channels gives no valid network.
     */
    public static final class VariantLayer implements NetworkFacts {
        public static final String DOUBLE = "layer.doublechannel";
        public static final String DOWN = "layer.downsample";
        static final List<Integer> DEFAULT_DOUBLE = List.of(0, 1, 1, 0, 1, 0, 0, 1);
        static final List<Integer> DEFAULT_DOWN = List.of(1, 1, 0, 1, 0, 0, 0, 1);

        @Override
        public Map<String, Double> measure(Map<String, Object> values) {
            List<Integer> dc = ints(values.getOrDefault(DOUBLE, DEFAULT_DOUBLE));
            List<Integer> ds = ints(values.getOrDefault(DOWN, DEFAULT_DOWN));
            long side = 32;
            long width = 32;
            long macs = 3L * 32 * 9 * side * side;
            long params = 3L * 32 * 9 + 2 * 32;
            for (int i = 0; i < dc.size(); i++) {
                long out = dc.get(i) == 1 ? width * 2 : width;
                if (ds.get(i) == 1) {
                    side = (side + 1) / 2;
                }
                macs += (width * out + out * out) * 9 * side * side;
                params += (width * out + out * out) * 9 + 4 * out;
                if (ds.get(i) == 1 || out != width) {
                    macs += width * out * side * side;
                    params += width * out + 2 * out;
                }
                width = out;
            }
            if (width != 512) {
                throw new InvalidCandidateException("the layer ends at " + width + " channels and the head takes 512");
            }
            macs += 512L * 10;
            params += 512L * 10 + 10;
            return Map.of("macs", (double) macs, "params", (double) params);
        }

        @Override
        public String identity(Map<String, Object> values) {
            return identityOf(values);
        }

        @Override
        public int quantizableLayers() {
            return 8 * 2 + 5;
        }

        @Override
        public List<Integer> prunableChannels() {
            return List.of();
        }

        @Override
        public String quantPath() {
            return null;
        }

        @Override
        public String prunePath() {
            return null;
        }
    }

    /**
     * The seed's ResNet-20 (the widths of conf/seed/resnet20_quant.yml) on 3 × 32 × 32 with a
     * {@code process} module of type Quant or Prune: stem 3 → 16, three stages of three
     * BasicBlocks at 16, 32 and 64 channels (stride 2 and a 1 × 1 shortcut entering stages 2
     * and 3), linear 64 → 10. 40,813,184 MACs and 272,474 params unpruned.
     *
     * <p>Quantizable layers, in order (20): each block's two convolutions, the shortcut after
     * its block's. Prunable groups, in order of first use (12): stage 1's output (also the stem's),
     * blocks 1-3's inner widths, stage 2's output, blocks 4-6's, stage 3's output, blocks 7-9's.
     */
    public static final class ResNet20 implements NetworkFacts {
        static final int[] STAGE_WIDTH = {16, 32, 64};
        private final boolean quant;

        /** @param quant a Quant process module when true, a Prune one when false */
        public ResNet20(boolean quant) {
            this.quant = quant;
        }

        /** The MACs of each quantizable layer, in order. */
        public static List<Long> quantizableMacs() {
            List<Long> out = new ArrayList<>();
            walk(new long[] {16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64}, (macs, name) -> {
                if (!name.equals("stem") && !name.equals("fc")) {
                    out.add(macs);
                }
            });
            return out;
        }

        interface Layer {
            void add(long macs, String name);
        }

        /**
         * Visits every conv and linear layer with its MACs, the widths being the kept channels of
         * the 12 groups (order as {@link #prunableChannels()}), conv layers in forward order with a
         * stage's shortcut after its block's convolutions.
         */
        static void walk(long[] kept, Layer layer) {
            long side = 32;
            long in = kept[0];
            layer.add(3 * in * 9 * side * side, "stem");
            int group = 0;
            for (int stage = 0; stage < 3; stage++) {
                long out = kept[group];
                group++;
                for (int block = 0; block < 3; block++) {
                    boolean first = block == 0 && stage > 0;
                    long inner = kept[group++];
                    long outSide = first ? side / 2 : side;
                    layer.add(in * inner * 9 * outSide * outSide, "conv1");
                    layer.add(inner * out * 9 * outSide * outSide, "conv2");
                    if (first) {
                        layer.add(in * out * outSide * outSide, "shortcut");
                    }
                    side = outSide;
                    in = out;
                }
            }
            layer.add(in * 10, "fc");
        }

        /** Trainable parameters: conv in × out × k², BatchNorm 2 × out, linear in × out + out. */
        static long params(long[] kept) {
            long total = 0;
            long in = kept[0];
            total += 3 * in * 9 + 2 * in;
            int group = 0;
            for (int stage = 0; stage < 3; stage++) {
                long out = kept[group++];
                for (int block = 0; block < 3; block++) {
                    boolean first = block == 0 && stage > 0;
                    long inner = kept[group++];
                    total += in * inner * 9 + 2 * inner + inner * out * 9 + 2 * out;
                    if (first) {
                        total += in * out + 2 * out;
                    }
                    in = out;
                }
            }
            total += in * 10 + 10;
            return total;
        }

        @Override
        public Map<String, Double> measure(Map<String, Object> values) {
            long[] kept = {16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64};
            if (!quant && values.containsKey("process.chn_mask")) {
                List<?> masks = (List<?>) values.get("process.chn_mask");
                for (int g = 0; g < kept.length; g++) {
                    int k = 0;
                    for (int b : ints(masks.get(g))) {
                        k += b;
                    }
                    if (k == 0) {
                        throw new InvalidCandidateException("channel group " + g + " keeps no channel");
                    }
                    kept[g] = k;
                }
            }
            List<Integer> w = quant ? ints(values.getOrDefault("process.nbit_w_list", List.of())) : List.of();
            List<Integer> a = quant ? ints(values.getOrDefault("process.nbit_a_list", List.of())) : List.of();
            long[] macs = {0};
            double[] bitops = {0};
            int[] index = {0};
            walk(kept, (m, name) -> {
                macs[0] += m;
                boolean quantized = !name.equals("stem") && !name.equals("fc") && !w.isEmpty();
                bitops[0] += quantized ? m * (double) w.get(index[0]) * a.get(index[0]) / 1024 : m;
                if (!name.equals("stem") && !name.equals("fc")) {
                    index[0]++;
                }
            });
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("params", (double) params(kept));
            out.put("macs", (double) macs[0]);
            if (quant) {
                out.put("bitops", bitops[0]);
            }
            return out;
        }

        @Override
        public String identity(Map<String, Object> values) {
            return identityOf(values);
        }

        @Override
        public int quantizableLayers() {
            return 20;
        }

        @Override
        public List<Integer> prunableChannels() {
            return List.of(16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64);
        }

        @Override
        public String quantPath() {
            return quant ? "process" : null;
        }

        @Override
        public String prunePath() {
            return quant ? null : "process";
        }
    }
}
