package io.finegrained.bench;

import io.finegrained.config.JobConfig;
import io.finegrained.search.Objective;
import io.finegrained.search.SearchAlgorithm;
import io.finegrained.search.TrialResult;
import io.finegrained.spark.Journal;
import io.finegrained.spark.Progress;
import io.finegrained.spark.RunDirectory;
import io.finegrained.spark.SearchRun;
import io.finegrained.spark.SparkSettings;
import io.finegrained.spark.SparkTrialEvaluator;
import io.finegrained.trial.CommandTrial;
import io.finegrained.trial.DjlTrial;
import io.finegrained.trial.TrialRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Soak (issue #14): many trials in one run, in one executor JVM ({@code local[1]}: the trials
 * run in this JVM's executor), sampling after each generation this JVM's resident memory
 * (VmRSS), Java heap after a GC, open files ({@code /proc/self/fd}), threads (the kernel's count,
 * native ones included) and, for DJL, the live NDArrays under DJL's system manager. Resources
 * are flat when the end is within 10 % of the sample after warm-up (the first two generations).
 *
 * <pre>
 * submit/bench SoakBenchmark djl     [trials=200]   [per_generation=20]  [minutes=25]
 * submit/bench SoakBenchmark command [trials=10000] [per_generation=500] [minutes=25]
 * </pre>
 * DJL: a tiny network (a 4-plane stem and a linear head), 1 epoch on the first 256 images of the
 * embedded data (64 to test), written as IDX files for the run. Command: {@code /bin/sh -c 'echo {"f": ...}'} through the real command trial
 * (its own session, a watcher, bounded logs). When the time budget ends first, the run stops
 * after the generation in progress and says how many trials ran and at what rate.
 */
public final class SoakBenchmark {
    private static final String DJL_CONFIG = String.join("\n",
            "search_space:",
            "  modules: ['init', 'head']",
            "  init: {type: SmallInputInitialBlock, init_plane: 4}",
            "  head: {type: LinearClassificationHead, num_class: 10}",
            "  hyper_parameters:",
            "    trainer.seed: {type: INT, range: [0, 1000000]}",
            "dataset: {source: idx, path: slice}",
            "trainer: {epochs: 1, batch_size: 32}",
            "");
    private static final String COMMAND_CONFIG = "search_space:\n  hyper_parameters:\n    x: {type: FLOAT, range: [0.0, 1.0]}\n";

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean djl = args.length > 0 && args[0].equals("djl");
        if (args.length == 0 || !(djl || args[0].equals("command"))) {
            System.err.println("usage: SoakBenchmark djl|command [trials] [per_generation] [minutes]");
            System.exit(2);
        }
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : djl ? 200 : 10_000;
        int perGeneration = args.length > 2 ? Integer.parseInt(args[2]) : djl ? 20 : 500;
        double minutes = args.length > 3 ? Double.parseDouble(args[3]) : 25;
        Path work = Files.createTempDirectory("soak-bench");
        Path file = work.resolve("soak.yml");
        Files.writeString(file, djl ? DJL_CONFIG : COMMAND_CONFIG);
        if (djl) {
            writeSlice(work.resolve("slice"), 256, 64);
        }
        JobConfig config = JobConfig.load(file);
        if (djl) {
            // The counter must see an array that is held, or its zeros say nothing.
            try (ai.djl.ndarray.NDManager held = ai.djl.ndarray.NDManager.newBaseManager()) {
                held.zeros(new ai.djl.ndarray.types.Shape(3));
                held.ones(new ai.djl.ndarray.types.Shape(2));
                System.out.println("NDArray counter check: " + NdArrays.live() + " live with 2 held (expect 2)");
            }
            System.out.println("NDArray counter check: " + NdArrays.live() + " live after closing them (expect 0)");
        }
        SparkSession spark = new SparkSettings(null, Map.of()).start("local[1]", "soak benchmark", djl);
        Path run = work.resolve("run");
        TrialRunner trial = djl
                ? new DjlTrial(config.text(), file.toString(), run.resolve("trials").toString(), 3600,
                        io.finegrained.spark.GpuDevices::forCurrentTask)
                : new CommandTrial(List.of("/bin/sh", "-c", "echo '{\"f\": 1}'"), 600, run.resolve("trials").toString());
        String key = djl ? "trainer.seed" : "x";
        List<Objective> objectives = List.of(djl ? new Objective("accuracy", Objective.Direction.MAX)
                : new Objective("f", Objective.Direction.MIN));
        Sampler sampler = new Sampler(djl, trials, perGeneration, key, System.nanoTime() + (long) (minutes * 60e9));
        System.out.printf(Locale.ROOT, "soak %s: %d trials, %d per generation, at most %.0f min, local[1], in %s%n",
                djl ? "djl" : "command", trials, perGeneration, minutes, run);
        System.out.println("trials  seconds   rss_MiB  heap_MiB  fds  threads  ndarrays");
        long start = System.nanoTime();
        try (RunDirectory directory = RunDirectory.open(run, config, false)) {
            Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()), objectives, 1, trials);
            new SearchRun(new io.finegrained.search.Generations(sampler, trials / perGeneration), objectives, directory,
                    () -> new SparkTrialEvaluator(spark, trial), 1.0, quiet).run();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        sampler.sample(wall); // the end, after the last generation
        List<TrialResult> rows = Journal.read(run.resolve(Journal.FILE_NAME));
        long ok = rows.stream().filter(TrialResult::isOk).count();
        System.out.printf(Locale.ROOT, "%d trials journaled (%d OK) in %.1f s: %.2f trials/s%s%n", rows.size(), ok, wall,
                rows.size() / wall, rows.size() < trials ? " (stopped by the time budget)" : "");
        sampler.verdict();
        spark.stop();
    }

    /** The search: {@code per} candidates a generation, and a sample of the JVM before each. */
    private static final class Sampler implements SearchAlgorithm {
        private final boolean djl;
        private final int trials;
        private final int per;
        private final String key;
        private final long deadline;
        private final long start = System.nanoTime();
        private final List<double[]> samples = new ArrayList<>();
        private final List<Map<String, Integer>> names = new ArrayList<>();
        private int asked;

        Sampler(boolean djl, int trials, int per, String key, long deadline) {
            this.djl = djl;
            this.trials = trials;
            this.per = per;
            this.key = key;
            this.deadline = deadline;
        }

        @Override
        public List<Map<String, Object>> ask() {
            if (asked > 0) {
                sample((System.nanoTime() - start) / 1e9);
            }
            if (asked >= trials || System.nanoTime() > deadline) {
                return List.of();
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < per && asked < trials; i++, asked++) {
                out.add(Map.of(key, djl ? (Object) (long) asked : (Object) (asked / (double) trials)));
            }
            return out;
        }

        @Override
        public void tell(List<TrialResult> results) {
        }

        @Override
        public int budget() {
            return trials;
        }

        void sample(double seconds) {
            System.gc();
            Map<String, Long> status = procStatus();
            double rss = status.getOrDefault("VmRSS", 0L) / 1024.0;
            Runtime rt = Runtime.getRuntime();
            double heap = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
            long fds = count(Path.of("/proc/self/fd"));
            long threads = status.getOrDefault("Threads", 0L);
            long arrays = djl ? NdArrays.live() : 0;
            samples.add(new double[] {asked, rss, heap, fds, threads, arrays});
            names.add(threadNames());
            System.out.printf(Locale.ROOT, "%6d  %7.1f  %8.1f  %8.1f  %3d  %7d  %8d%n", asked, seconds, rss, heap, fds, threads, arrays);
        }

        /** End over the sample after warm-up (the second generation), per resource. */
        void verdict() {
            if (samples.size() < 3) {
                System.out.println("too few samples for a verdict");
                return;
            }
            verdict(samples.get(1), "after warm-up");
            Map<String, Integer> before = names.get(1);
            Map<String, Integer> after = names.get(names.size() - 1);
            java.util.TreeMap<String, String> grown = new java.util.TreeMap<>();
            after.forEach((name, n) -> {
                if (n > before.getOrDefault(name, 0)) {
                    grown.put(name, before.getOrDefault(name, 0) + " -> " + n);
                }
            });
            System.out.println("Java threads by name (digits as #) that grew after warm-up: " + grown);
            // Pools (Spark's, the engine's) may grow for a while: the second half on its own.
            verdict(samples.get(samples.size() / 2), "at half-way");
        }

        private void verdict(double[] warm, String what) {
            double[] end = samples.get(samples.size() - 1);
            String[] names = {"trials", "rss", "heap", "fds", "threads", "ndarrays"};
            StringBuilder line = new StringBuilder("end / " + what + " (" + (int) warm[0] + " trials):");
            boolean flat = true;
            for (int i = 1; i < names.length; i++) {
                if (warm[i] == 0 && end[i] == 0) {
                    line.append(String.format(Locale.ROOT, " %s 0 -> 0;", names[i]));
                    continue;
                }
                double ratio = end[i] / warm[i];
                flat &= ratio <= 1.10;
                line.append(String.format(Locale.ROOT, " %s %.0f -> %.0f (%.3f);", names[i], warm[i], end[i], ratio));
            }
            System.out.println(line);
            System.out.println(flat ? "flat: every resource within 10 % of its level " + what
                    : "NOT flat: a resource grew by more than 10 % " + what);
        }
    }

    /** The first {@code train} and {@code test} images of the embedded data, as IDX files in {@code dir}. */
    private static void writeSlice(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        for (String[] f : new String[][] {{"train-images-idx3-ubyte", "16", "784", "" + train}, {"train-labels-idx1-ubyte", "8", "1", "" + train},
                {"t10k-images-idx3-ubyte", "16", "784", "" + test}, {"t10k-labels-idx1-ubyte", "8", "1", "" + test}}) {
            byte[] all;
            try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
                    SoakBenchmark.class.getResourceAsStream("/datasets/fashion-mnist-subset/" + f[0] + ".gz"))) {
                all = in.readAllBytes();
            }
            int header = Integer.parseInt(f[1]);
            int count = Integer.parseInt(f[3]);
            byte[] out = java.util.Arrays.copyOf(all, header + count * Integer.parseInt(f[2]));
            java.nio.ByteBuffer.wrap(out).putInt(4, count); // the item count, after the magic number
            Files.write(dir.resolve(f[0]), out);
        }
    }

    /** Live Java threads by name, digits replaced by '#' (pool-3-thread-7 is pool-#-thread-#). */
    private static Map<String, Integer> threadNames() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            out.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return out;
    }

    private static Map<String, Long> procStatus() {
        Map<String, Long> out = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] parts = line.split(":\\s+");
                if (parts.length == 2 && (parts[0].equals("VmRSS") || parts[0].equals("Threads"))) {
                    out.put(parts[0], Long.parseLong(parts[1].split("\\s+")[0]));
                }
            }
        } catch (IOException e) {
            // not Linux: no figures
        }
        return out;
    }

    private static long count(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Live NDArrays: every array still held by a manager under DJL's system manager. */
    static final class NdArrays {
        private NdArrays() {
        }

        static long live() {
            try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager()) {
                return count(probe.getParentManager(), java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return -1;
            }
        }

        private static long count(Object manager, java.util.Set<Object> seen) throws ReflectiveOperationException {
            if (!(manager instanceof ai.djl.ndarray.BaseNDManager) || !seen.add(manager)) {
                return 0;
            }
            java.lang.reflect.Field field = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
            field.setAccessible(true);
            Map<?, ?> resources = (Map<?, ?>) field.get(manager);
            long n = 0;
            for (Object r : resources.values().toArray()) {
                if (r instanceof ai.djl.ndarray.NDArray) {
                    n++;
                } else if (r instanceof ai.djl.ndarray.NDManager) {
                    n += count(r, seen);
                }
            }
            return n;
        }
    }
}
