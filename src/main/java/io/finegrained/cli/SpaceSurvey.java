package io.finegrained.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.JobConfig;
import io.finegrained.config.ListNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.report.ModuleTable;
import io.finegrained.search.Constraints;
import io.finegrained.space.Domain;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.SearchSpace;
import io.finegrained.space.SpaceSize;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code explain --space}: the open parameters with their domains and defaults, the number of
 * candidates as the configured algorithm sees the space, and what a seeded uniform sample of
 * candidates measures (params, MACs, bit-ops; the share that is no valid network or breaks the
 * constraints) — before any training.
 *
 * <p>The algorithm's view, from {@code search_algorithm.type}: BackboneNas keeps the number of
 * ones of a binary code written as a plain list; QuantEA opens a bit width per quantizable layer
 * for weights and for activations ({@code bit_candidates}, default [4, 8]); PruneEA a non-empty
 * keep-mask per prunable channel group; every other algorithm the domains as written. The sample
 * is drawn here, uniformly over those domains (log-uniformly for FLOAT_EXP), and measured with the
 * driver's own {@link NetworkAnalysis}, so it tells what the space holds, not where an algorithm
 * would go.
 */
final class SpaceSurvey {
    private static final List<Integer> DEFAULT_BIT_CANDIDATES = List.of(4, 8);
    private static final List<String> METRICS = List.of("params", "macs", "bitops");

    /** One open parameter as the algorithm sees it. */
    record Axis(String key, String type, String domain, Object defaultValue, SpaceSize size, Sampler sampler) {
    }

    /** Draws one value of an axis. */
    interface Sampler {
        Object draw(SplittableRandom rng);
    }

    private final String algorithm;
    private final List<Axis> axes;
    private final SpaceSize size;
    private final int samples;
    private final long seed;
    private final int invalid;
    private final int breaking;
    private final Map<String, long[]> ranges;
    private final String constraintsText;
    private final boolean network;

    private SpaceSurvey(String algorithm, List<Axis> axes, SpaceSize size, int samples, long seed, int invalid, int breaking,
                        Map<String, long[]> ranges, String constraintsText, boolean network) {
        this.algorithm = algorithm;
        this.axes = axes;
        this.size = size;
        this.samples = samples;
        this.seed = seed;
        this.invalid = invalid;
        this.breaking = breaking;
        this.ranges = ranges;
        this.constraintsText = constraintsText;
        this.network = network;
    }

    static SpaceSurvey of(JobConfig job, SearchSpace space, long[] inputShape, int samples, long seed) {
        MapNode section = job.section("search_algorithm");
        String algorithm = section.has("type") ? Nodes.scalar(section.require("type")).asString() : "NSGA2";
        String kind = algorithm.toLowerCase(Locale.ROOT);
        NetworkAnalysis facts = space.hasModules() ? new NetworkAnalysis(space, inputShape) : null;
        List<Axis> axes = new ArrayList<>();
        if (kind.equals("quantea") && facts != null && facts.quantPath() != null) {
            List<Integer> bits = bitCandidates(section);
            int layers = facts.quantizableLayers();
            for (String list : List.of("nbit_w_list", "nbit_a_list")) {
                axes.add(new Axis(facts.quantPath() + "." + list, "bit widths", layers + " layers, each one of " + bits, null,
                        SpaceSize.lists(bits.size(), layers), rng -> {
                            List<Integer> out = new ArrayList<>(layers);
                            for (int i = 0; i < layers; i++) {
                                out.add(bits.get(rng.nextInt(bits.size())));
                            }
                            return out;
                        }));
            }
        } else if (kind.equals("pruneea") && facts != null && facts.prunePath() != null) {
            List<Integer> widths = facts.prunableChannels();
            axes.add(new Axis(facts.prunePath() + ".chn_mask", "keep-masks", "one non-empty 0/1 mask per channel group, widths " + widths,
                    null, SpaceSize.masks(widths), rng -> masks(rng, widths)));
        } else {
            boolean keepOnes = kind.equals("backbonenas") || kind.equals("backbonenassearch");
            for (Map.Entry<String, Domain> e : space.parameters().domains().entrySet()) {
                axes.add(axis(e.getKey(), e.getValue(), keepOnes));
            }
        }
        SpaceSize size = SpaceSize.ONE;
        for (Axis a : axes) {
            size = size.times(a.size());
        }
        Constraints constraints = Constraints.of(job);
        SplittableRandom rng = new SplittableRandom(seed);
        int invalid = 0;
        int breaking = 0;
        Map<String, long[]> ranges = new LinkedHashMap<>();
        if (facts != null) {
            for (int n = 0; n < samples; n++) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (Axis a : axes) {
                    values.put(a.key(), a.sampler().draw(rng));
                }
                Map<String, Double> measured;
                try {
                    measured = facts.measure(values);
                } catch (InvalidCandidateException e) {
                    invalid++;
                    continue;
                }
                if (constraints.check(measured).isPresent()) {
                    breaking++;
                }
                for (String m : METRICS) {
                    Double v = measured.get(m);
                    if (v != null) {
                        long[] r = ranges.computeIfAbsent(m, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                        r[0] = Math.min(r[0], v.longValue());
                        r[1] = Math.max(r[1], v.longValue());
                    }
                }
            }
        }
        List<String> limits = new ArrayList<>();
        constraints.limits().forEach(l -> limits.add(l.toString()));
        return new SpaceSurvey(algorithm, axes, size, facts == null ? 0 : samples, seed, invalid, breaking, ranges,
                String.join(", ", limits), facts != null);
    }

    private static Axis axis(String key, Domain d, boolean keepOnes) {
        SpaceSize size = SpaceSize.of(d, keepOnes);
        if (d instanceof Domain.BinaryCode code) {
            Integer ones = SpaceSize.ones(code, keepOnes);
            String text = "length " + code.length() + (ones == null ? "" : code.ones() != null ? ", " + ones + " ones"
                    : ", keeps its " + ones + " ones");
            return new Axis(key, d.typeName(), text, d.defaultValue(), size, rng -> bits(rng, code.length(), ones));
        }
        if (d instanceof Domain.Category c) {
            return new Axis(key, d.typeName(), String.valueOf(c.values()), d.defaultValue(), size, rng -> c.values().get(rng.nextInt(c.values().size())));
        }
        if (d instanceof Domain.Bool) {
            return new Axis(key, d.typeName(), "true, false", d.defaultValue(), size, SplittableRandom::nextBoolean);
        }
        if (d instanceof Domain.IntRange r) {
            return new Axis(key, d.typeName(), "[" + r.low() + ", " + r.high() + "]", d.defaultValue(), size,
                    rng -> r.low() + (long) Math.floor(rng.nextDouble() * (r.high() - r.low() + 1.0)));
        }
        Domain.FloatRange f = (Domain.FloatRange) d;
        return new Axis(key, d.typeName(), "[" + f.low() + ", " + f.high() + "]", d.defaultValue(), size, rng -> {
            double u = rng.nextDouble();
            double v = f.log() ? Math.exp(Math.log(f.low()) + u * (Math.log(f.high()) - Math.log(f.low()))) : f.low() + u * (f.high() - f.low());
            return Math.min(f.high(), Math.max(f.low(), v));
        });
    }

    private static List<Integer> bits(SplittableRandom rng, int length, Integer ones) {
        List<Integer> out = new ArrayList<>(length);
        if (ones == null) {
            for (int i = 0; i < length; i++) {
                out.add(rng.nextBoolean() ? 1 : 0);
            }
            return out;
        }
        for (int i = 0; i < length; i++) {
            out.add(i < ones ? 1 : 0);
        }
        for (int i = length - 1; i > 0; i--) { // Fisher-Yates: every placement of the ones equally likely
            Collections.swap(out, i, rng.nextInt(i + 1));
        }
        return out;
    }

    private static List<List<Integer>> masks(SplittableRandom rng, List<Integer> widths) {
        List<List<Integer>> out = new ArrayList<>();
        for (int w : widths) {
            List<Integer> mask;
            do {
                mask = bits(rng, w, null);
            } while (!mask.contains(1));
            out.add(mask);
        }
        return out;
    }

    private static List<Integer> bitCandidates(MapNode section) {
        Optional<ConfigNode> node = section.get("bit_candidates");
        return node.map(n -> ((ListNode) n).asIntList()).orElse(DEFAULT_BIT_CANDIDATES);
    }

    void print(PrintStream out) {
        out.println("open parameters, as " + algorithm + " sees them:");
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"key", "type", "domain", "default", "values"});
        for (Axis a : axes) {
            lines.add(new String[] {a.key(), a.type(), a.domain(), a.defaultValue() == null ? "-" : String.valueOf(a.defaultValue()),
                    a.size().toString()});
        }
        int[] w = new int[5];
        lines.forEach(l -> {
            for (int i = 0; i < 5; i++) {
                w[i] = Math.max(w[i], l[i].length());
            }
        });
        for (String[] l : lines) {
            out.printf(Locale.ROOT, "  %-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %-" + w[3] + "s  %" + w[4] + "s%n", (Object[]) l);
        }
        if (axes.isEmpty()) {
            out.println("  (none: the space opens no hyper-parameter)");
        }
        String count = size.countText();
        out.println("space size: " + (size.continuous()
                ? "continuous" + (size.count().equals(java.math.BigInteger.ONE) ? "" : " (" + count + " discrete combinations times the real ranges)")
                : count + (size.count().equals(java.math.BigInteger.ONE) ? " candidate" : " candidates")));
        if (!network) {
            out.println("no modules: no network to measure (a plain hyper-parameter search)");
            return;
        }
        out.println("a uniform sample of " + samples + " candidates (seed " + seed + "):");
        out.println("  not a valid network: " + share(invalid));
        out.println("  breaking the constraints: " + (constraintsText.isEmpty() ? "- (no constraints)" : share(breaking) + "  [" + constraintsText + "]"));
        for (String m : METRICS) {
            long[] r = ranges.get(m);
            String name = m.equals("macs") ? "MACs" : m;
            out.println("  " + name + " " + (r == null ? (m.equals("bitops") ? "- (not quantized)" : "-")
                    : ModuleTable.number(r[0]) + " .. " + ModuleTable.number(r[1])));
        }
    }

    private String share(int n) {
        return n + " of " + samples + String.format(Locale.ROOT, " (%.1f %%)", samples == 0 ? 0.0 : 100.0 * n / samples);
    }

    ObjectNode toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("algorithm", algorithm);
        ArrayNode parameters = o.putArray("parameters");
        for (Axis a : axes) {
            ObjectNode p = parameters.addObject();
            p.put("key", a.key());
            p.put("type", a.type());
            p.put("domain", a.domain());
            p.set("default", m.valueToTree(a.defaultValue()));
            sizeJson(p, "values", a.size());
        }
        sizeJson(o, "size", size);
        if (network) {
            ObjectNode s = o.putObject("sample");
            s.put("count", samples);
            s.put("seed", seed);
            s.put("invalid", invalid);
            s.put("breaking_constraints", breaking);
            ranges.forEach((name, r) -> {
                ObjectNode range = s.putObject(name);
                range.put("min", r[0]);
                range.put("max", r[1]);
            });
        }
        return o;
    }

    /** A number when it fits a long, "continuous" for a real range, else the digits as text. */
    private static void sizeJson(ObjectNode o, String field, SpaceSize size) {
        if (size.continuous()) {
            o.put(field, "continuous");
        } else if (size.count().bitLength() < 63) {
            o.put(field, size.count().longValue());
        } else {
            o.put(field, size.count().toString());
        }
    }
}
