package io.finegrained.space;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The channel groups of a network (ARCHITECTURE.md's prunable channels): every convolution
 * output starts a group; a residual add joins its two branches' groups into one (a stage: every
 * block adding into it shares one mask). Prunable are each residual block's inner width (the
 * first convolution's outputs of a residual body) and each group a residual add joins. Groups are
 * ordered by their first appearance in forward order.
 */
final class ChannelGroups {
    /** A convolution, BatchNorm or linear layer with the groups its input and output channels belong to. */
    record Use(Layer layer, int in, int out, long spatial) {
    }

    private final List<Integer> parent = new ArrayList<>();
    private final List<Long> width = new ArrayList<>();
    private final List<Boolean> inner = new ArrayList<>();
    private final List<Boolean> joined = new ArrayList<>();
    private final List<Use> uses = new ArrayList<>();
    private final List<Integer> prunableRoots = new ArrayList<>();
    private final Map<Integer, Integer> indexOfRoot = new HashMap<>();
    /** The group each layer's output channels belong to, by path. */
    private final Map<String, Integer> outputGroup = new HashMap<>();

    ChannelGroups(Layer root) {
        int input = newGroup(root.input().channels());
        walk(root, input, false);
        TreeMap<Integer, Integer> firstMember = new TreeMap<>();
        for (int g = 0; g < parent.size(); g++) {
            int r = find(g);
            if ((inner.get(g) || joined.get(r)) && !firstMember.containsValue(r)) {
                firstMember.put(g, r);
            }
        }
        for (int r : firstMember.values()) {
            indexOfRoot.put(r, prunableRoots.size());
            prunableRoots.add(r);
        }
    }

    /** Widths of the prunable groups in order. */
    List<Integer> prunableWidths() {
        List<Integer> out = new ArrayList<>();
        for (int r : prunableRoots) {
            out.add((int) (long) width.get(r));
        }
        return out;
    }

    List<Use> uses() {
        return uses;
    }

    /** The prunable group index of a group, or -1 when it is not prunable. */
    int prunableIndex(int group) {
        return indexOfRoot.getOrDefault(find(group), -1);
    }

    long width(int group) {
        return width.get(find(group));
    }

    private int newGroup(long w) {
        parent.add(parent.size());
        width.add(w);
        inner.add(false);
        joined.add(false);
        return parent.size() - 1;
    }

    private int find(int g) {
        while (parent.get(g) != g) {
            parent.set(g, parent.get(parent.get(g)));
            g = parent.get(g);
        }
        return g;
    }

    /** The group of a layer's output channels (by path), or -1 for a layer not in the network. */
    int outputGroup(String path) {
        Integer g = outputGroup.get(path);
        return g == null ? -1 : g;
    }

    /** Follows a layer from the group its input channels belong to; returns its output's group. */
    private int walk(Layer layer, int group, boolean firstConvOfBody) {
        int out = walkChildren(layer, group, firstConvOfBody);
        outputGroup.put(layer.path(), out);
        return out;
    }

    private int walkChildren(Layer layer, int group, boolean firstConvOfBody) {
        switch (layer.structure()) {
            case SEQUENTIAL: {
                int g = group;
                boolean first = firstConvOfBody;
                for (Layer child : layer.children()) {
                    int before = parent.size();
                    g = walk(child, g, first);
                    if (parent.size() > before) {
                        first = false; // a convolution (or linear) has been met
                    }
                }
                return g;
            }
            case RESIDUAL: {
                int body = walk(layer.child("body"), group, true);
                int shortcut = walk(layer.child("shortcut"), group, false);
                int a = find(body);
                int b = find(shortcut);
                if (a != b) {
                    parent.set(Math.max(a, b), Math.min(a, b));
                }
                joined.set(find(a), true);
                return body;
            }
            default:
                return operator(layer, group, firstConvOfBody);
        }
    }

    private int operator(Layer layer, int group, boolean firstConvOfBody) {
        switch (layer.type()) {
            case "Conv2d": {
                int out = newGroup(layer.output().channels());
                if (firstConvOfBody) {
                    inner.set(out, true);
                }
                uses.add(new Use(layer, group, out, layer.output().area()));
                return out;
            }
            case "Linear": {
                int out = newGroup(layer.output().channels());
                long per = layer.input().channels() / Math.max(1, width(group));
                uses.add(new Use(layer, group, out, per));
                return out;
            }
            case "BatchNorm2d":
                uses.add(new Use(layer, group, group, 1));
                return group;
            default:
                if (layer.output().channels() != layer.input().channels() && layer.output().rank() == layer.input().rank()) {
                    throw new SpecException(null, "cannot follow the channels through " + layer.type() + " at " + layer.path());
                }
                return group;
        }
    }
}
