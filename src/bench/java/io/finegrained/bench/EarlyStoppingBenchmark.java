package io.finegrained.bench;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Pareto;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkAnalysis;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.TrainerConfig;
import io.finegrained.trial.TrialJson;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Early stopping on real training (issue 11): in one invocation, the same backbone space on a
 * slice of the embedded Fashion-MNIST searched twice through the real CLI, each search a child
 * JVM ({@code submit/finegrained search CONF --output DIR --master M}) with real DJL
 * trainings:
 * <ul>
 *   <li>the generational NSGA2, every candidate trained the full budget ({@code --epochs});</li>
 *   <li>AsyncNSGA2 (same genome, seed, population) with ASHA, rungs 1, 3, 9 (η 3) for 9 epochs.</li>
 * </ul>
 * The measure is the hypervolume of the full-budget trials (validation accuracy after the full
 * budget against MACs; a STOPPED trial never counts) against the child's process CPU seconds
 * (user + system, sampled every 200 ms through {@link ProcessHandle}; its total is its last
 * sample, and the sum of the children's totals is checked against this process's reaped-children
 * times in {@code /proc/self/stat}). The two children run side by side: each one's CPU is its own,
 * and the wall time halves. A trial's CPU is its child's CPU at its journaled {@code finished}
 * time, interpolated between samples. HV
 * point: (1 − accuracy, log MACs scaled to [0, 1] between the smallest and largest network of the
 * space), reference (1, 1). Goal: AsyncNSGA2 + ASHA reaches the generational run's final HV in at
 * most a third of the generational run's CPU.
 *
 * <pre>submit/bench EarlyStoppingBenchmark [--epochs 9] [--eta 3] [--train-images 600] [--validation 0.333]
 *     [--population 8] [--generations 3] [--samples 60] [--seed 1] [--master local[2]] [--out DIR] [--only generational|asha]</pre>
 * The defaults are the run of docs/benchmarks.md; the data slice and both configs are written into {@code --out}
 * (default {@code runs/early-stopping-<UTC time>}), which must be new or empty.
 */
public final class EarlyStoppingBenchmark {
    private static final String DOUBLE = "layer.doublechannel";
    private static final String DOWN = "layer.downsample";
    private static final int BITS = 5;

    private EarlyStoppingBenchmark() {
    }

    /** A search's figures: the CPU samples and the full-budget trials with their CPU time. */
    record Run(String name, Path dir, int exit, double wallSeconds, double cpuSeconds, double cpuAtFirstStart, List<TrialResult> rows,
               List<double[]> curve /* {cpu, hv} at each full-budget trial, in finishing order */, int epochsTrained) {
        double finalHv() {
            return curve.isEmpty() ? 0 : curve.get(curve.size() - 1)[1];
        }

        /** The first CPU second at which the HV reaches {@code target}, or NaN. */
        double cpuTo(double target) {
            for (double[] p : curve) {
                if (p[1] >= target - 1e-12) {
                    return p[0];
                }
            }
            return Double.NaN;
        }

        long count(TrialStatus status) {
            return rows.stream().filter(r -> r.status() == status).count();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = ZdtBenchmark.options(args);
        int epochs = Integer.parseInt(opt.getOrDefault("epochs", "9"));
        int eta = Integer.parseInt(opt.getOrDefault("eta", "3"));
        int trainImages = Integer.parseInt(opt.getOrDefault("train-images", "600"));
        String validation = opt.getOrDefault("validation", "0.333");
        int population = Integer.parseInt(opt.getOrDefault("population", "8"));
        int generations = Integer.parseInt(opt.getOrDefault("generations", "3"));
        int samples = Integer.parseInt(opt.getOrDefault("samples", "60"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "1"));
        String master = opt.getOrDefault("master", "local[2]");
        String only = opt.getOrDefault("only", "");
        Path home = Path.of(System.getProperty("finegrained.home", ".")).toAbsolutePath();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path out = Path.of(opt.getOrDefault("out", home.resolve("runs/early-stopping-" + stamp).toString())).toAbsolutePath();
        if (Files.exists(out)) {
            try (java.util.stream.Stream<Path> listed = Files.list(out)) {
                if (listed.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + " exists and is not empty: give another --out");
                }
            }
        }
        Files.createDirectories(out);
        int[] classes = slice(out.resolve("data"), trainImages);

        String space = space();
        String trainer = "trainer: {epochs: " + epochs + ", batch_size: 128, lr: 0.1}\n";
        String data = "dataset: {source: idx, path: data, validation: " + validation + "}\n";
        String objectives = "objectives: {accuracy: max, macs: min}\n";
        String generational = "search_algorithm: {type: NSGA2, population: " + population + ", generations: " + generations + ", seed: " + seed
                + "}\n" + space + trainer + data + objectives;
        String asha = "search_algorithm:\n  type: AsyncNSGA2\n  population: " + population + "\n  samples: " + samples + "\n  seed: " + seed
                + "\n  scheduler: {type: ASHA, eta: " + eta + ", min_resource: 1, max_resource: " + epochs + "}\n" + space + trainer + data
                + objectives;
        Files.writeString(out.resolve("generational.yml"), generational);
        Files.writeString(out.resolve("asha.yml"), asha);

        double[] macsRange = macsRange(JobConfig.parse(generational, out.resolve("generational.yml")));
        System.out.printf(Locale.ROOT, "EarlyStoppingBenchmark: %s; data: the first %d images of the embedded Fashion-MNIST training file"
                        + " (per class %s), validation %s; %d epochs full budget; master %s; seed %d%n", out, trainImages,
                java.util.Arrays.toString(classes), validation, epochs, master, seed);
        System.out.printf(Locale.ROOT, "HV: (1 - validation accuracy, log MACs scaled to [0, 1] between %.0f and %.0f MACs), reference (1, 1);"
                + " only full-budget OK trials count%n", macsRange[0], macsRange[1]);
        System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());

        List<Child> children = new ArrayList<>();
        if (!only.equals("asha")) {
            children.add(new Child("generational NSGA2 " + population + " x " + generations + ", " + epochs + " epochs each", home, out,
                    "generational", master));
        }
        if (!only.equals("generational")) {
            children.add(new Child("AsyncNSGA2 " + samples + " samples + ASHA (eta " + eta + ", max " + epochs + ")", home, out, "asha",
                    master));
        }
        runAll(children);
        List<Run> runs = new ArrayList<>();
        for (Child c : children) {
            runs.add(collect(c, macsRange, epochs));
        }
        System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());

        System.out.println();
        System.out.println("run | exit | wall (s) | CPU (s) | CPU before the first trial (s) | trials OK / STOPPED / FAILED | epochs trained"
                + " | final HV");
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "%s | %d | %.0f | %.1f | %.1f | %d / %d / %d | %d | %.4f%n", r.name(), r.exit(), r.wallSeconds(),
                    r.cpuSeconds(), r.cpuAtFirstStart(), r.count(TrialStatus.OK), r.count(TrialStatus.STOPPED), r.count(TrialStatus.FAILED),
                    r.epochsTrained(), r.finalHv());
        }
        for (Run r : runs) {
            System.out.println();
            System.out.println("HV against CPU, " + r.name() + " (CPU s: HV after each full-budget trial, improvements only):");
            double last = -1;
            StringBuilder sb = new StringBuilder();
            for (double[] p : r.curve()) {
                if (p[1] > last + 1e-12) {
                    sb.append(String.format(Locale.ROOT, " %.0f:%.4f", p[0], p[1]));
                    last = p[1];
                }
            }
            System.out.println(sb.toString().trim());
        }
        if (runs.size() == 2) {
            Run gen = runs.get(0);
            Run es = runs.get(1);
            double target = gen.finalHv();
            double at = es.cpuTo(target);
            System.out.println();
            System.out.printf(Locale.ROOT, "generational final HV %.4f after %.1f CPU s; ASHA reaches it at %s CPU s (%s of the generational CPU;"
                            + " goal <= 1/3); ASHA's HV at 1/3 of the generational CPU: %.4f%n", target, gen.cpuSeconds(),
                    Double.isNaN(at) ? "never" : String.format(Locale.ROOT, "%.1f", at),
                    Double.isNaN(at) ? "-" : String.format(Locale.ROOT, "%.3f", at / gen.cpuSeconds()), hvAt(es, gen.cpuSeconds() / 3));
            double net = at - es.cpuAtFirstStart();
            double genNet = gen.cpuSeconds() - gen.cpuAtFirstStart();
            System.out.printf(Locale.ROOT, "start-up left out (CPU from each run's first trial start): generational %.1f CPU s, ASHA to"
                    + " the target %s (%s)%n", genNet, Double.isNaN(at) ? "never" : String.format(Locale.ROOT, "%.1f", net),
                    Double.isNaN(at) ? "-" : String.format(Locale.ROOT, "%.3f", net / genNet));
        }
    }

    /** The best HV a run had at {@code cpu} seconds. */
    static double hvAt(Run r, double cpu) {
        double hv = 0;
        for (double[] p : r.curve()) {
            if (p[0] <= cpu) {
                hv = p[1];
            }
        }
        return hv;
    }

    /** The space of conf/async_backbone_nas.yml (and the quick start's). */
    static String space() {
        return """
                search_space:
                  type: FineGrainedSpace
                  hyper_parameters:
                    layer.doublechannel: [0, 1, 0, 1, 0]
                    layer.downsample: [1, 0, 1, 0, 0]
                  modules: ['init', 'layer', 'head']
                  init: {type: SmallInputInitialBlock, init_plane: 4}
                  layer:
                    type: VariantLayer
                    block: {type: BasicBlock}
                    in_plane: 4
                    doublechannel: [0, 1, 0, 1, 0]
                    downsample: [1, 0, 1, 0, 0]
                    expansion: 1
                  head: {type: LinearClassificationHead, num_class: 10}
                """;
    }

    /** The smallest and largest MACs of the space's valid networks (all 2^10 codes counted). */
    static double[] macsRange(JobConfig config) {
        SearchSpace space = SearchSpace.parse(config.section("search_space"), TrainerConfig.KEYS);
        NetworkAnalysis analysis = new NetworkAnalysis(space, new long[] {1, 28, 28});
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int code = 0; code < 1 << (2 * BITS); code++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put(DOUBLE, bits(code, 0));
            values.put(DOWN, bits(code, BITS));
            try {
                double macs = analysis.measure(values).get("macs");
                lo = Math.min(lo, macs);
                hi = Math.max(hi, macs);
            } catch (InvalidCandidateException e) {
                // a code that gives no valid network is not in the range
            }
        }
        return new double[] {lo, hi};
    }

    private static List<Integer> bits(int code, int shift) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < BITS; i++) {
            out.add((code >> (shift + i)) & 1);
        }
        return out;
    }

    /** A search running as a child JVM, with its CPU samples ({epoch millis, cpu nanos}). */
    static final class Child {
        final String name;
        final Path dir;
        final Process process;
        final long t0 = System.nanoTime();
        final List<long[]> samples = new ArrayList<>();
        double wall;

        Child(String name, Path home, Path out, String which, String master) throws IOException {
            this.name = name;
            this.dir = out.resolve(which);
            Path log = out.resolve(which + ".log");
            List<String> command = List.of(home.resolve("submit/finegrained").toString(), "search", out.resolve(which + ".yml").toString(),
                    "--output", dir.toString(), "--master", master);
            System.out.println("running: " + String.join(" ", command) + "  (log " + log + ")");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // this benchmark runs through the launcher too: its main class must not leak into the child
            builder.environment().remove("FINEGRAINED_MAIN");
            builder.environment().remove("FINEGRAINED_CLASSPATH");
            process = builder.start();
        }

        /** Samples the child's CPU; false once it has ended. */
        boolean sample() {
            if (!process.isAlive()) {
                if (wall == 0) {
                    wall = (System.nanoTime() - t0) / 1e9;
                }
                return false;
            }
            process.info().totalCpuDuration().ifPresent(d -> samples.add(new long[] {System.currentTimeMillis(), d.toNanos()}));
            return true;
        }

        /** The last CPU sample, seconds (at most one sampling period before the child's end). */
        double lastCpu() {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1] / 1e9;
        }
    }

    /**
     * Runs the children side by side (their CPU is measured apart, so running them together halves
     * the wall time and leaves each one's CPU its own), sampling their CPU every 200 ms.
     */
    static void runAll(List<Child> children) throws IOException, InterruptedException {
        double reaped0 = childrenCpu();
        boolean any = true;
        while (any) {
            any = false;
            for (Child c : children) {
                any |= c.sample();
            }
            Thread.sleep(200);
        }
        for (Child c : children) {
            c.process.waitFor();
            c.sample();
        }
        double reaped = childrenCpu() - reaped0;
        double sampled = children.stream().mapToDouble(Child::lastCpu).sum();
        System.out.printf(Locale.ROOT, "CPU of the children: %.1f s reaped (/proc/self/stat), %.1f s in their last samples"
                + " (the difference is their last 200 ms and exit)%n", reaped, sampled);
    }

    /** Reads a finished child's journal back. */
    static Run collect(Child child, double[] macsRange, int epochs) throws IOException {
        Path dir = child.dir;
        List<long[]> samples = child.samples;
        double cpu = child.lastCpu();
        double wall = child.wall;
        Process p = child.process;
        String name = child.name;
        List<TrialResult> rows = new ArrayList<>();
        Path journal = dir.resolve("trials.jsonl");
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(TrialJson.parseRow(line));
                }
            }
        }
        Instant firstStart = rows.stream().map(TrialResult::started).filter(java.util.Objects::nonNull).min(Comparator.naturalOrder())
                .orElse(null);
        List<TrialResult> full = new ArrayList<>(rows.stream().filter(r -> r.status() == TrialStatus.OK && r.finished() != null).toList());
        full.sort(Comparator.comparing(TrialResult::finished));
        List<double[]> points = new ArrayList<>();
        List<double[]> curve = new ArrayList<>();
        for (TrialResult r : full) {
            Double acc = r.metrics().get("accuracy");
            Double macs = r.metrics().get("macs");
            if (acc == null || macs == null) {
                continue;
            }
            points.add(new double[] {1 - acc, Math.log(macs / macsRange[0]) / Math.log(macsRange[1] / macsRange[0])});
            curve.add(new double[] {cpuAt(samples, r.finished().toEpochMilli()), Pareto.hypervolume2d(points, new double[] {1, 1})});
        }
        int trained = 0;
        for (TrialResult r : rows) {
            trained += r.status() == TrialStatus.OK && r.resource() <= 0 ? epochs : Math.max(0, r.resource());
        }
        double atStart = firstStart == null ? Double.NaN : cpuAt(samples, firstStart.toEpochMilli());
        System.out.printf(Locale.ROOT, "  exit %d, %.0f s wall, %.1f CPU s, %d rows%n", p.exitValue(), wall, cpu, rows.size());
        return new Run(name, dir, p.exitValue(), wall, cpu, atStart, rows, curve, trained);
    }

    /** The child's CPU seconds at a wall-clock time, interpolated between samples. */
    static double cpuAt(List<long[]> samples, long millis) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        long[] prev = null;
        for (long[] s : samples) {
            if (s[0] >= millis) {
                if (prev == null) {
                    return s[1] / 1e9;
                }
                double f = (double) (millis - prev[0]) / Math.max(1, s[0] - prev[0]);
                return (prev[1] + f * (s[1] - prev[1])) / 1e9;
            }
            prev = s;
        }
        return samples.get(samples.size() - 1)[1] / 1e9;
    }

    /** User + system CPU of this process's reaped children ({@code cutime + cstime} of /proc/self/stat), seconds. */
    static double childrenCpu() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ", field 3 (state) is f[0]: cutime is field 16, cstime 17
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / (double) clockTicks();
    }

    private static long clockTicks() {
        return 100; // USER_HZ on Linux (getconf CLK_TCK), fixed by the kernel's ABI for /proc
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /**
     * Writes the first {@code images} training images of the embedded Fashion-MNIST (and its whole
     * test file) as IDX files into {@code folder}; returns the count per class.
     */
    static int[] slice(Path folder, int images) throws IOException {
        Files.createDirectories(folder);
        byte[] pixels;
        byte[] labels;
        try (DataInputStream in = new DataInputStream(resource("train-images-idx3-ubyte.gz"))) {
            int magic = in.readInt();
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != 0x803 || rows != 28 || cols != 28 || count < images) {
                throw new IOException("unexpected embedded image file: magic " + magic + ", " + count + " x " + rows + " x " + cols);
            }
            pixels = new byte[images * 28 * 28];
            in.readFully(pixels);
        }
        try (DataInputStream in = new DataInputStream(resource("train-labels-idx1-ubyte.gz"))) {
            in.readInt();
            in.readInt();
            labels = new byte[images];
            in.readFully(labels);
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(folder.resolve("train-images-idx3-ubyte")))) {
            o.writeInt(0x803);
            o.writeInt(images);
            o.writeInt(28);
            o.writeInt(28);
            o.write(pixels);
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(folder.resolve("train-labels-idx1-ubyte")))) {
            o.writeInt(0x801);
            o.writeInt(images);
            o.write(labels);
        }
        for (String name : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            try (InputStream in = resource(name + ".gz"); OutputStream o = Files.newOutputStream(folder.resolve(name))) {
                in.transferTo(o);
            }
        }
        int[] perClass = new int[10];
        for (byte b : labels) {
            perClass[b]++;
        }
        return perClass;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream raw = EarlyStoppingBenchmark.class.getResourceAsStream("/datasets/fashion-mnist-subset/" + name);
        if (raw == null) {
            throw new IOException("no embedded resource /datasets/fashion-mnist-subset/" + name);
        }
        return new GZIPInputStream(raw);
    }
}
