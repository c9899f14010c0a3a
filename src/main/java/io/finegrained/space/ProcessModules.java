package io.finegrained.space;

import io.finegrained.space.ModuleType.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process modules of an expanded network, found by their {@link Role} (never by type name),
 * and what they say operator by operator: the one rule the counts ({@link NetworkAnalyzer}) and
 * the built network ({@code io.finegrained.nn}) both follow. Lists that do not fit the network
 * are not applied (the counts warn about them, the search refuses them). Pure arithmetic.
 */
public final class ProcessModules {
    private ProcessModules() {
    }

    /** The first top-level module of that role, or null. */
    public static Layer find(Layer root, Role role) {
        for (Layer l : root.children()) {
            if (l.role() == role) {
                return l;
            }
        }
        return null;
    }

    /**
     * The quantizable layers: every convolution after the stem, in forward order (a residual's
     * body before its shortcut). Convolutions inside a stem module stay at full precision; a
     * network without a stem module keeps its first convolution at full precision instead.
     */
    public static List<Layer> quantizable(Layer root) {
        List<Layer> convs = new ArrayList<>();
        boolean hasStem = false;
        for (Layer op : root.operators()) {
            if (op.type().equals("Conv2d")) {
                if (op.role() == Role.STEM) {
                    hasStem = true;
                } else {
                    convs.add(op);
                }
            }
        }
        if (!hasStem && !convs.isEmpty()) {
            convs.remove(0);
        }
        return convs;
    }

    /**
     * {weight bits, activation bits} by path of every quantizable layer, when the network has a
     * {@link Role#QUANT} module whose lists fit; empty otherwise.
     */
    public static Map<String, long[]> bitWidths(Layer root) {
        Layer quant = find(root, Role.QUANT);
        List<Layer> layers = quantizable(root);
        Map<String, long[]> out = new LinkedHashMap<>();
        if (quant != null && bitsProblem(quant.spec(), layers.size()) == null) {
            List<Long> w = quant.spec().getLongList(Role.WEIGHT_BITS);
            List<Long> a = quant.spec().getLongList(Role.ACTIVATION_BITS);
            for (int i = 0; i < layers.size(); i++) {
                out.put(layers.get(i).path(), new long[] {w.get(i), a.get(i)});
            }
        }
        return out;
    }

    /**
     * The keep-mask by path of every convolution, BatchNorm and linear layer whose output
     * channels form a prunable group, when the network has a {@link Role#PRUNE} module whose
     * mask fits; empty otherwise.
     */
    public static Map<String, List<Long>> keepMasks(Layer root) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        ChannelGroups groups = new ChannelGroups(root);
        List<List<Long>> mask = pruneMask(root, groups, null);
        if (mask != null) {
            for (ChannelGroups.Use use : groups.uses()) {
                int g = groups.prunableIndex(use.out());
                if (g >= 0) {
                    out.put(use.layer().path(), mask.get(g));
                }
            }
        }
        return out;
    }

    /** The key of the seed's node masks: one per residual block's output, in forward order. */
    public static final String NODE_MASK = "chn_node_mask";

    /**
     * The keep-mask of every prunable group a network's Prune applies, or null when it applies
     * none: its {@code chn_mask} when that fits, with the stage masks its {@code chn_node_mask}
     * gives when that fits (one mask per residual block's output, in forward order; all ones
     * for the inner widths when there is no chn_mask). Lists that do not fit are not applied and
     * add a warning.
     *
     * @param warnings where to add why a list is not applied, or null
     * @throws InvalidCandidateException when node masks of blocks adding into one stage differ, or
     *     differ from that stage's chn_mask entry (a residual add needs the same channels on both sides)
     */
    static List<List<Long>> pruneMask(Layer root, ChannelGroups groups, List<String> warnings) {
        Layer prune = find(root, Role.PRUNE);
        if (prune == null) {
            return null;
        }
        List<Integer> widths = groups.prunableWidths();
        List<List<Long>> mask = null;
        boolean given = prune.spec().has(Role.KEEP_MASK);
        if (given) {
            List<List<Long>> m = prune.spec().getMatrix(Role.KEEP_MASK);
            String problem = maskProblem(m, widths);
            if (problem == null) {
                mask = new ArrayList<>(m);
            } else if (warnings != null) {
                warnings.add(prune.path() + "." + Role.KEEP_MASK + ": " + problem + "; counted unpruned");
            }
        }
        if (!prune.spec().has(NODE_MASK)) {
            return mask;
        }
        List<Layer> nodes = new ArrayList<>();
        residuals(root, nodes);
        List<List<Long>> nm = prune.spec().getMatrix(NODE_MASK);
        String problem = nodeMaskProblem(nm, nodes, groups);
        if (problem != null || given && mask == null) {
            if (warnings != null) {
                warnings.add(prune.path() + "." + NODE_MASK + ": " + (problem != null ? problem : "the chn_mask beside it does not fit")
                        + "; not applied");
            }
            return mask;
        }
        if (mask == null) {
            mask = new ArrayList<>();
            for (int w : widths) {
                mask.add(java.util.Collections.nCopies(w, 1L));
            }
        }
        Map<Integer, Integer> firstNode = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            int g = groups.prunableIndex(groups.outputGroup(nodes.get(i).path()));
            Integer first = firstNode.putIfAbsent(g, i);
            if (first != null && !nm.get(i).equals(nm.get(first))) {
                throw new InvalidCandidateException(prune.path() + "." + NODE_MASK + ": masks " + first + " and " + i
                        + " differ, but " + nodes.get(first).path() + " and " + nodes.get(i).path() + " add into one stage ("
                        + stage(nodes, groups, g) + "): a residual add needs the same channels on both sides");
            }
        }
        for (Map.Entry<Integer, Integer> e : firstNode.entrySet()) {
            List<Long> node = nm.get(e.getValue());
            if (given && !mask.get(e.getKey()).equals(node)) {
                throw new InvalidCandidateException(prune.path() + "." + NODE_MASK + ": mask " + e.getValue() + " differs from "
                        + Role.KEEP_MASK + " entry " + e.getKey() + " for the same stage (" + stage(nodes, groups, e.getKey()) + ")");
            }
            mask.set(e.getKey(), node);
        }
        return mask;
    }

    /** "resnet.layers.3 … resnet.layers.5, 32 channels": the blocks adding into prunable group {@code g}. */
    private static String stage(List<Layer> nodes, ChannelGroups groups, int g) {
        List<String> in = new ArrayList<>();
        long width = 0;
        for (Layer n : nodes) {
            int group = groups.outputGroup(n.path());
            if (groups.prunableIndex(group) == g) {
                in.add(n.path());
                width = groups.width(group);
            }
        }
        String blocks = in.size() == 1 ? in.get(0) : in.get(0) + " … " + in.get(in.size() - 1);
        return "the stage of " + blocks + ", " + width + " channels";
    }

    /** Why node masks do not fit these residual blocks, or null. */
    private static String nodeMaskProblem(List<List<Long>> nm, List<Layer> nodes, ChannelGroups groups) {
        if (nm.size() != nodes.size()) {
            return "has " + nm.size() + " masks but the network has " + nodes.size() + " residual blocks (one mask per block output)";
        }
        for (int i = 0; i < nm.size(); i++) {
            long w = groups.width(groups.outputGroup(nodes.get(i).path()));
            if (nm.get(i).size() != w) {
                return "mask " + i + " has " + nm.get(i).size() + " entries but " + nodes.get(i).path() + " puts out " + w + " channels";
            }
            if (nm.get(i).stream().mapToLong(Long::longValue).sum() == 0) {
                return "mask " + i + " keeps no channel";
            }
        }
        return null;
    }

    private static void residuals(Layer layer, List<Layer> out) {
        if (layer.structure() == Layer.Structure.RESIDUAL) {
            out.add(layer);
        }
        for (Layer c : layer.children()) {
            residuals(c, out);
        }
    }

    /**
     * What a fitting Prune keeps of every convolution, BatchNorm and linear layer that reads or
     * produces a pruned channel group, by path in forward order; empty when nothing is pruned
     * (no Prune, a mask that does not fit, or masks of ones). A residual add's two branches share
     * one group, so every block adding into a stage keeps the same channels.
     *
     * @throws InvalidCandidateException when a pruned group passes through a grouped convolution
     *     (its channels cannot be removed independently of the groups)
     */
    public static Map<String, KeptChannels> keptChannels(Layer root) {
        Layer prune = find(root, Role.PRUNE);
        Map<String, KeptChannels> out = new LinkedHashMap<>();
        ChannelGroups groups = new ChannelGroups(root);
        List<List<Long>> mask = pruneMask(root, groups, null);
        if (mask == null) {
            return out;
        }
        for (ChannelGroups.Use use : groups.uses()) {
            int[] in = kept(groups, use.in(), mask);
            int[] o = kept(groups, use.out(), mask);
            if (in == null && o == null) {
                continue;
            }
            Layer l = use.layer();
            if (l.type().equals("Conv2d") && l.spec().getLong("groups") != 1) {
                throw new InvalidCandidateException(prune.path() + "." + Role.KEEP_MASK + ": " + l.path()
                        + " is a grouped convolution (groups " + l.spec().getLong("groups") + "): its channels cannot be pruned");
            }
            out.put(l.path(), new KeptChannels(l.path(), l.type(), in, o, groups.width(use.in()), groups.width(use.out()),
                    l.type().equals("Linear") ? use.spatial() : 1));
        }
        return out;
    }

    /** The kept indexes of a group when its mask removes some, else null. */
    private static int[] kept(ChannelGroups groups, int group, List<List<Long>> mask) {
        int g = groups.prunableIndex(group);
        if (g < 0 || !mask.get(g).contains(0L)) {
            return null;
        }
        List<Long> m = mask.get(g);
        return java.util.stream.IntStream.range(0, m.size()).filter(i -> m.get(i) != 0).toArray();
    }

    /** Why a Quant module's lists do not fit that many quantizable layers, or null. */
    static String bitsProblem(ModuleSpec quant, int layers) {
        for (String key : Role.QUANT.parameters()) {
            if (!quant.has(key)) {
                return key + " is not given";
            }
            int n = quant.getLongList(key).size();
            if (n != layers) {
                return key + " has " + n + " entries but the network has " + layers + " quantizable layers";
            }
        }
        return null;
    }

    /** Why a keep-mask does not fit the prunable groups of those widths, or null. */
    static String maskProblem(List<List<Long>> mask, List<Integer> widths) {
        if (mask.size() != widths.size()) {
            return "has " + mask.size() + " masks but the network has " + widths.size() + " prunable channel groups";
        }
        for (int i = 0; i < mask.size(); i++) {
            if (mask.get(i).size() != widths.get(i)) {
                return "mask " + i + " has " + mask.get(i).size() + " entries but its group has " + widths.get(i) + " channels";
            }
            if (mask.get(i).stream().mapToLong(Long::longValue).sum() == 0) {
                return "mask " + i + " keeps no channel";
            }
        }
        return null;
    }
}
