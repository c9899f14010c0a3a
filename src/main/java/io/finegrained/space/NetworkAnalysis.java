package io.finegrained.space;

import io.finegrained.space.ModuleType.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link NetworkFacts} of a search space for one input shape: what the driver hands the search
 * layer. Pure arithmetic, thread-safe.
 *
 * <p>{@link #measure} counts the network as the values give it: bit-ops from the Quant bit
 * lists, and params/MACs of the widths a Prune {@code chn_mask} keeps. A list the values give
 * that does not fit is an {@link InvalidCandidateException}; one written in the file that does
 * not fit (the seed's 20-entry lists on ResNet-18) is left out of the counts.
 */
public final class NetworkAnalysis implements NetworkFacts {
    private final SearchSpace space;
    private final long[] inputShape;
    private final NetworkSummary defaults;
    private final String quantPath;
    private final String prunePath;

    /**
     * @param space a space with modules
     * @param inputShape one sample: C, H, W
     */
    public NetworkAnalysis(SearchSpace space, long[] inputShape) {
        if (!space.hasModules()) {
            throw new IllegalArgumentException("a space without modules has no network to analyze");
        }
        this.space = space;
        this.inputShape = inputShape.clone();
        Layer root = space.expand(space.defaults(), this.inputShape);
        this.defaults = NetworkAnalyzer.analyze(root, this.inputShape, false, false);
        Layer quant = ProcessModules.find(root, Role.QUANT);
        Layer prune = ProcessModules.find(root, Role.PRUNE);
        this.quantPath = quant == null ? null : quant.path();
        this.prunePath = prune == null ? null : prune.path();
    }

    /** The summary of the default network. */
    public NetworkSummary defaultSummary() {
        return defaults;
    }

    @Override
    public Map<String, Double> measure(Map<String, Object> values) {
        ModuleSpec spec = space.resolve(values);
        Layer root = space.expand(spec, inputShape);
        boolean strictQuant = quantPath != null && Role.QUANT.parameters().stream().anyMatch(k -> values.containsKey(quantPath + "." + k));
        boolean strictPrune = prunePath != null && values.containsKey(prunePath + "." + Role.KEEP_MASK);
        // Lists written in the file that do not fit are left out of the counts (and warned about by
        // explain); lists the values give must fit.
        NetworkSummary s = NetworkAnalyzer.analyze(root, inputShape, true, false);
        if (strictQuant) {
            String p = ProcessModules.bitsProblem(ProcessModules.find(root, Role.QUANT).spec(), s.quantizableLayers().size());
            if (p != null) {
                throw new InvalidCandidateException(quantPath + ": " + p);
            }
        }
        if (strictPrune) {
            String p = ProcessModules.maskProblem(ProcessModules.find(root, Role.PRUNE).spec().getMatrix(Role.KEEP_MASK), s.prunableChannels());
            if (p != null) {
                throw new InvalidCandidateException(prunePath + "." + Role.KEEP_MASK + ": " + p);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("params", (double) s.params());
        out.put("macs", (double) s.macs());
        if (s.bitops() != null) {
            out.put("bitops", (double) s.bitops());
        }
        return out;
    }

    /**
     * The SHA-256 of the resolved network's canonical YAML and the trainer values (sorted by
     * name): equal exactly when the values give the same network and training.
     */
    @Override
    public String identity(Map<String, Object> values) {
        ModuleSpec spec = space.resolve(values);
        StringBuilder sb = new StringBuilder(spec.toYaml());
        sb.append("trainer:\n");
        new TreeMap<>(space.trainerValues(values)).forEach((k, v) -> sb.append("  ").append(k).append(": ").append(canonical(v)).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonical(Object v) {
        if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
            return Long.toString(n.longValue());
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(canonical(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }

    @Override
    public int quantizableLayers() {
        return defaults.quantizableLayers().size();
    }

    @Override
    public List<Integer> prunableChannels() {
        return defaults.prunableChannels();
    }

    @Override
    public String quantPath() {
        return quantPath;
    }

    @Override
    public String prunePath() {
        return prunePath;
    }
}
