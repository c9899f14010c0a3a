package io.finegrained.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.finegrained.config.JobConfig;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.space.NetworkSummary;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.Engines;
import io.finegrained.train.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * ResNet-20 pruned to a fraction of its channels: the masked network (what a Prune built before),
 * the narrow network the builder makes now, the same widths written in YAML by hand, and written
 * with DJL's stock blocks ({@link HandBuiltResNet20}), against the unpruned network. Params and
 * MACs from the analysis; inference latency (one forward pass, output copied to the host) at batch
 * 1 and 32 on CPU, in interleaved rounds so that load drift hits every network alike:
 * <pre>
 *   submit/bench PruneBenchmark [--keep 0.45] [--threads 2] [--rounds 5] [--runs 10] [--input 1,28,28]
 *   submit/bench PruneBenchmark --model runs/x/trials/7/model    (that model's chn_mask instead of --keep)
 * </pre>
 * With {@code --model}, the masks are those of an exported pruned model ({@code network.yml},
 * as a PruneEA run's trial or front model has it), so the row "narrow" is the network a search
 * found; the weights do not matter for latency, so none are loaded.
 * Each row's latency is the median of its round medians; "spread" is (max − min) / median of the
 * round medians. Bounded: rounds × runs × 5 networks × 2 batch sizes forward passes.
 */
public final class PruneBenchmark {
    private PruneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        double keep = Double.parseDouble(opts.getOrDefault("keep", "0.45"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "2"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "10"));
        long[] input = Arrays.stream(opts.getOrDefault("input", "1,28,28").split(",")).mapToLong(Long::parseLong).toArray();
        Engines.configureThreads(threads, 0);

        Path root = Path.of(System.getProperty("project.root", "."));
        SearchSpace plain = space(Files.readString(root.resolve("conf/resnet20.yml")));
        List<Integer> widths = new NetworkAnalysis(plain, input).prunableChannels();
        String model = opts.get("model");
        List<List<Integer>> mask = model == null ? randomMask(widths, keep) : maskOf(Path.of(model).resolve("network.yml"));
        if (mask.size() != widths.size()) {
            throw new IllegalArgumentException(model + ": " + mask.size() + " masks, ResNet-20 has " + widths.size() + " groups " + widths);
        }
        int[] kept = mask.stream().mapToInt(m -> m.stream().mapToInt(Integer::intValue).sum()).toArray();
        SearchSpace pruneSpace = space(Files.readString(root.resolve("conf/resnet20.yml"))
                .replace("modules: ['resnet']", "modules: ['resnet', 'process']") + "  process: {type: Prune}\n");
        ModuleSpec pruned = pruneSpace.resolve(Map.of("process.chn_mask", mask));
        // ResNet-20's 12 groups by first appearance (docs/search-space.md): stage 1, blocks 0-3 inner
        // (block 3's body starts before stage 2's width appears), stage 2, blocks 4-6 inner, stage 3, blocks 7-8 inner.
        int[] stages = {kept[0], kept[5], kept[9]};
        int[] inner = {kept[1], kept[2], kept[3], kept[4], kept[6], kept[7], kept[8], kept[10], kept[11]};
        ModuleSpec byHand = space(String.format(Locale.ROOT, """
                search_space:
                  modules: [resnet]
                  resnet:
                    type: ResNet
                    depth: 20
                    init_plane: %d
                    items:
                      inchannel: [%d, %d, %d, %d, %d, %d, %d, %d, %d]
                      outchannel: [%d, %d, %d, %d, %d, %d, %d, %d, %d]
                      inner_plane: %s
                      stride: [1, 1, 1, 2, 1, 1, 2, 1, 1]
                """, stages[0], stages[0], stages[0], stages[0], stages[0], stages[1], stages[1], stages[1], stages[2], stages[2],
                stages[0], stages[0], stages[0], stages[1], stages[1], stages[1], stages[2], stages[2], stages[2],
                Arrays.toString(inner))).defaults();

        long narrowMacs = NetworkAnalyzer.analyze(pruned, input).macs();
        long byHandMacs = NetworkAnalyzer.analyze(byHand, input).macs();
        if (narrowMacs != byHandMacs) {
            throw new IllegalStateException("the widths written by hand are not the pruned network's: " + byHandMacs + " MACs against "
                    + narrowMacs);
        }
        Shape sample = new Shape(input);
        Map<String, Block> nets = new LinkedHashMap<>();
        Map<String, NetworkSummary> counts = new LinkedHashMap<>();
        nets.put("unpruned (conf/resnet20.yml)", NetworkBuilder.build(plain.defaults(), sample));
        counts.put("unpruned (conf/resnet20.yml)", NetworkAnalyzer.analyze(plain.defaults(), input));
        nets.put("masked (full width, zeroed)", NetworkBuilder.buildMasked(pruned, sample));
        counts.put("masked (full width, zeroed)", NetworkAnalyzer.analyze(pruned, input));
        nets.put("narrow (Prune, built now)", NetworkBuilder.build(pruned, sample));
        counts.put("narrow (Prune, built now)", NetworkAnalyzer.analyze(pruned, input));
        nets.put("same widths in YAML", NetworkBuilder.build(byHand, sample));
        counts.put("same widths in YAML", NetworkAnalyzer.analyze(byHand, input));
        nets.put("same widths, stock DJL", HandBuiltResNet20.build(10, stages, inner));
        counts.put("same widths, stock DJL", null);

        Map<String, List<Double>> b1 = new LinkedHashMap<>();
        Map<String, List<Double>> b32 = new LinkedHashMap<>();
        Engines.prepareThread();
        try (Model holder = Model.newInstance("bench")) {
            NDManager m = holder.getNDManager();
            for (Block b : nets.values()) {
                b.initialize(m, DataType.FLOAT32, new Shape(1, input[0], input[1], input[2]));
            }
            NDArray x1 = m.randomNormal(new Shape(1, input[0], input[1], input[2]));
            NDArray x32 = m.randomNormal(new Shape(32, input[0], input[1], input[2]));
            for (String name : nets.keySet()) {
                b1.put(name, new ArrayList<>());
                b32.put(name, new ArrayList<>());
                for (int w = 0; w < 5; w++) {
                    time(m, nets.get(name), x1);
                    time(m, nets.get(name), x32);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (String name : nets.keySet()) {
                    b1.get(name).add(medianOf(m, nets.get(name), x1, runs));
                    b32.get(name).add(medianOf(m, nets.get(name), x32, runs));
                }
            }
        }
        System.out.printf(Locale.ROOT, "ResNet-20 on %s, %s (%s of %s kept), %d threads, %d rounds x %d runs%n",
                Arrays.toString(input), model == null ? String.format(Locale.ROOT, "%.0f %% of each prunable group kept", keep * 100)
                        : "the masks of " + model, Arrays.toString(kept), widths, threads, rounds, runs);
        System.out.println("| network | params | MACs | ms, batch 1 (spread) | ms, batch 32 (spread) | ×unpruned, batch 32 |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        double base32 = median(b32.values().iterator().next());
        for (String name : nets.keySet()) {
            NetworkSummary s = counts.get(name);
            double l1 = median(b1.get(name));
            double l32 = median(b32.get(name));
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.2f (%.2f) | %.2f (%.2f) | %.2f |%n", name,
                    s == null ? "=" : String.format(Locale.ROOT, "%,d", s.params()),
                    s == null ? "=" : String.format(Locale.ROOT, "%,d", s.macs()),
                    l1, spread(b1.get(name)), l32, spread(b32.get(name)), l32 / base32);
        }
    }

    /** Each group keeps {@code keep} of its channels, chosen at random (seeded by the group). */
    private static List<List<Integer>> randomMask(List<Integer> widths, double keep) {
        List<List<Integer>> mask = new ArrayList<>();
        for (int g = 0; g < widths.size(); g++) {
            int kept = (int) Math.max(1, Math.round(widths.get(g) * keep));
            List<Integer> m = new ArrayList<>();
            for (int c = 0; c < widths.get(g); c++) {
                m.add(c < kept ? 1 : 0);
            }
            Collections.shuffle(m, new Random(g));
            mask.add(m);
        }
        return mask;
    }

    /** The Prune's chn_mask of an exported model's network.yml. */
    private static List<List<Integer>> maskOf(Path networkYml) throws java.io.IOException {
        io.finegrained.config.JobConfig config = JobConfig.parse(Files.readString(networkYml), networkYml);
        io.finegrained.config.ConfigNode node = config.section("search_space").get("process")
                .flatMap(p -> ((io.finegrained.config.MapNode) p).get("chn_mask"))
                .orElseThrow(() -> new IllegalArgumentException(networkYml + " has no search_space.process.chn_mask"));
        List<List<Integer>> mask = new ArrayList<>();
        for (io.finegrained.config.ConfigNode group : ((io.finegrained.config.ListNode) node).items()) {
            mask.add(((io.finegrained.config.ListNode) group).asIntList());
        }
        return mask;
    }

    private static SearchSpace space(String yaml) {
        return SearchSpace.parse(JobConfig.parse(yaml, Path.of("bench.yml")).section("search_space"), TrainerConfig.KEYS);
    }

    private static double medianOf(NDManager m, Block net, NDArray x, int runs) {
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            t.add(time(m, net, x));
        }
        return median(t);
    }

    private static double time(NDManager m, Block net, NDArray x) {
        try (NDManager run = m.newSubManager()) {
            x.tempAttach(run); // the pass's arrays go to its own manager; x returns to its own after
            long t0 = System.nanoTime();
            NDArray out = net.forward(new ParameterStore(run, false), new NDList(x), false).singletonOrThrow();
            out.toFloatArray();
            double ms = (System.nanoTime() - t0) / 1e6;
            return ms;
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int k = v.length / 2;
        return v.length % 2 == 1 ? v[k] : (v[k - 1] + v[k]) / 2;
    }

    private static double spread(List<Double> values) {
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return (hi - lo) / median(values);
    }
}
