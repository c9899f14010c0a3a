package io.finegrained.space;

import io.finegrained.space.ModuleType.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Params, MACs and bit-ops of a network description, module by module: pure arithmetic over the
 * expanded module tree (no engine, no arrays), so the search can check constraints before any
 * training. Definitions are ARCHITECTURE.md's.
 */
public final class NetworkAnalyzer {
    private NetworkAnalyzer() {
    }

    /**
     * The network as it trains: the widths a Prune {@code chn_mask} (or {@code chn_node_mask}) keeps
     * when the mask fits (the built network is that narrow one), with bit-ops when it has a Quant module whose bit lists
     * fit its quantizable layers. A list or mask that does not fit is a warning in the summary.
     *
     * @param spec a resolved network description
     * @param inputShape one sample: C, H, W
     */
    public static NetworkSummary analyze(ModuleSpec spec, long[] inputShape) {
        return analyze(spec, inputShape, true, false);
    }

    /**
     * @param applyPrune count the widths a fitting Prune {@code chn_mask} keeps
     * @param strict a bit list or mask that does not fit is an {@link InvalidCandidateException}
     *     rather than a warning
     */
    public static NetworkSummary analyze(ModuleSpec spec, long[] inputShape, boolean applyPrune, boolean strict) {
        Layer root = expand(spec, inputShape, ModuleRegistry.forSpec(spec));
        return analyze(root, inputShape, applyPrune, strict);
    }

    static Layer expand(ModuleSpec spec, long[] inputShape, ModuleRegistry registry) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("the input shape is C, H, W; got " + inputShape.length + " numbers");
        }
        try {
            return new NetworkExpander(registry).expand(spec, TensorShape.image(inputShape[0], inputShape[1], inputShape[2], "the input shape"));
        } catch (SpecException e) {
            throw new InvalidCandidateException(e.getMessage());
        }
    }

    static NetworkSummary analyze(Layer root, long[] inputShape, boolean applyPrune, boolean strict) {
        List<String> warnings = new ArrayList<>();
        List<Layer> quantizable = ProcessModules.quantizable(root);
        ChannelGroups groups = new ChannelGroups(root);
        List<Integer> widths = groups.prunableWidths();

        long[] kept = null;
        Layer prune = ProcessModules.find(root, Role.PRUNE);
        if (applyPrune && prune != null) {
            if (strict && prune.spec().has(Role.KEEP_MASK)) {
                String problem = ProcessModules.maskProblem(prune.spec().getMatrix(Role.KEEP_MASK), widths);
                if (problem != null) {
                    throw new InvalidCandidateException(prune.path() + "." + Role.KEEP_MASK + ": " + problem);
                }
            }
            List<List<Long>> mask = ProcessModules.pruneMask(root, groups, warnings);
            if (mask != null) {
                kept = new long[mask.size()];
                for (int i = 0; i < mask.size(); i++) {
                    kept[i] = mask.get(i).stream().mapToLong(Long::longValue).sum();
                }
            }
        }

        long params = 0;
        long macs = 0;
        List<long[]> perUse = new ArrayList<>();
        for (ChannelGroups.Use use : groups.uses()) {
            long[] pm = count(use, groups, kept);
            perUse.add(pm);
        }
        if (kept == null) {
            params = root.params();
            macs = root.macs();
        } else {
            // Layers without channels of their own (none among the built-ins) keep their counts.
            params = root.params() - sumOf(groups.uses(), true) + sum(perUse, 0);
            macs = root.macs() - sumOf(groups.uses(), false) + sum(perUse, 1);
        }

        Long bitops = null;
        Layer quant = ProcessModules.find(root, Role.QUANT);
        if (quant != null) {
            String problem = ProcessModules.bitsProblem(quant.spec(), quantizable.size());
            if (problem == null) {
                List<Long> w = quant.spec().getLongList(Role.WEIGHT_BITS);
                List<Long> a = quant.spec().getLongList(Role.ACTIVATION_BITS);
                long scaled = 0;
                for (int i = 0; i < groups.uses().size(); i++) {
                    Layer l = groups.uses().get(i).layer();
                    long m = perUse.get(i)[1];
                    int q = quantizable.indexOf(l);
                    long bits = q >= 0 ? w.get(q) * a.get(q) : 32 * 32;
                    scaled = Math.addExact(scaled, Math.multiplyExact(m, bits));
                }
                bitops = scaled / (32 * 32);
            } else if (strict) {
                throw new InvalidCandidateException(quant.path() + ": " + problem);
            } else {
                warnings.add(quant.path() + ": " + problem + "; bitops not counted");
            }
        }

        // Per module, the counts of the network as built: what the kept widths save below it.
        java.util.Map<String, long[]> saved = new java.util.HashMap<>();
        if (kept != null) {
            for (int i = 0; i < groups.uses().size(); i++) {
                Layer l = groups.uses().get(i).layer();
                saved.put(l.path(), new long[] {l.params() - perUse.get(i)[0], l.macs() - perUse.get(i)[1]});
            }
        }
        List<NetworkSummary.Row> rows = new ArrayList<>();
        for (Layer top : root.children()) {
            rows(top, 0, rows, saved, groups, kept);
        }
        List<String> qnames = quantizable.stream().map(Layer::path).toList();
        return new NetworkSummary(inputShape, rows, params, macs, bitops, qnames, widths, warnings);
    }

    /** Adds the rows of a layer and its children; returns what pruning saves in it: {params, MACs}. */
    private static long[] rows(Layer layer, int depth, List<NetworkSummary.Row> out, java.util.Map<String, long[]> saved,
                               ChannelGroups groups, long[] kept) {
        int at = out.size();
        out.add(null);
        long[] total = saved.getOrDefault(layer.path(), new long[2]).clone();
        for (Layer child : layer.children()) {
            long[] s = rows(child, depth + 1, out, saved, groups, kept);
            total[0] += s[0];
            total[1] += s[1];
        }
        out.set(at, new NetworkSummary.Row(layer.path(), layer.type(), outputDims(layer, groups, kept),
                layer.params() - total[0], layer.macs() - total[1], depth));
        return total;
    }

    /** A layer's output shape with its channels the kept width when pruned (a flatten's features scaled alike). */
    private static long[] outputDims(Layer layer, ChannelGroups groups, long[] kept) {
        long[] dims = layer.output().dims();
        int g = groups.outputGroup(layer.path());
        if (kept == null || g < 0 || dims.length == 0) {
            return dims;
        }
        long full = groups.width(g);
        long narrow = keptWidth(groups, g, kept);
        if (narrow == full) {
            return dims;
        }
        if (dims.length == 3 && dims[0] == full) {
            dims[0] = narrow;
        } else if (dims.length == 1 && dims[0] % full == 0) {
            dims[0] = dims[0] / full * narrow;
        }
        return dims;
    }

    private static long[] count(ChannelGroups.Use use, ChannelGroups groups, long[] kept) {
        Layer l = use.layer();
        long in = keptWidth(groups, use.in(), kept);
        long out = keptWidth(groups, use.out(), kept);
        switch (l.type()) {
            case "Conv2d": {
                List<Long> k = l.spec().getLongList("kernel_size");
                long g = l.spec().getLong("groups");
                long w = Math.multiplyExact(Math.multiplyExact(out, Math.max(1, in / g)), k.get(0) * k.get(1));
                long p = w + (l.spec().getBool("bias") ? out : 0);
                return new long[] {p, Math.multiplyExact(w, use.spatial())};
            }
            case "Linear": {
                long features = Math.multiplyExact(in, use.spatial());
                long w = Math.multiplyExact(features, out);
                return new long[] {w + (l.spec().getBool("bias") ? out : 0), w};
            }
            case "BatchNorm2d":
                return new long[] {2 * out, 0};
            default:
                return new long[] {l.params(), l.macs()};
        }
    }

    private static long keptWidth(ChannelGroups groups, int group, long[] kept) {
        int i = groups.prunableIndex(group);
        return kept != null && i >= 0 ? kept[i] : groups.width(group);
    }

    private static long sum(List<long[]> values, int index) {
        long s = 0;
        for (long[] v : values) {
            s = Math.addExact(s, v[index]);
        }
        return s;
    }

    private static long sumOf(List<ChannelGroups.Use> uses, boolean params) {
        long s = 0;
        for (ChannelGroups.Use u : uses) {
            s += params ? u.layer().params() : u.layer().macs();
        }
        return s;
    }
}
