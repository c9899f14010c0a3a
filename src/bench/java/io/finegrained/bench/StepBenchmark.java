package io.finegrained.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.JobConfig;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.Datasets;
import io.finegrained.train.Engines;
import io.finegrained.train.LoadedData;
import io.finegrained.train.NativeAllocator;
import io.finegrained.train.TrainerConfig;
import io.finegrained.train.TrialTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The time of one SGD step of ResNet-20 (1×28×28, batch 128, momentum 0.9, weight decay 5e-4)
 * in this project, against Python PyTorch on the same machine, threads and run:
 * <pre>
 *   submit/bench StepBenchmark [--threads N] [--steps 20] [--warmup 10] [--rounds 4] [--python /usr/bin/python3]
 *                              [--conf conf/resnet20.yml]
 * </pre>
 * The warm-up is long enough for the JVM's JIT to settle (with 3 warm-up steps the compiler thread
 * still used about 50 ms of CPU per timed step). Each round times, one after the other, so a change
 * in machine load hits all of them: this project's step (its default channels-last layout), Python
 * PyTorch as users write it (NCHW, the reference of the goal ≤ 1.0), Python PyTorch with
 * {@code torch.channels_last} (the stronger reference), this project with
 * {@code memory_format: contiguous}, and the same ResNet-20 written with DJL's stock blocks. Each
 * reports the median wall time of its timed steps and its process CPU time per step (all threads):
 * on a shared machine the wall time follows the other processes' load, the CPU time much less.
 * The network is the default network of {@code conf/resnet20.yml} (the seed's ResNet-20 without its
 * Quant module) built by {@code nn.NetworkBuilder}. The Java step is the training loop's own step
 * ({@link TrialTrainer#stepTimes}): batch assembly from real Fashion-MNIST images, forward, loss,
 * backward, optimizer update, each step's arrays in a sub-manager closed after it. The Python step
 * runs on a tensor made beforehand. Run it through {@code submit/bench}, which sets the malloc
 * environment of {@link NativeAllocator}.
 */
public final class StepBenchmark {
    private StepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int threads = Integer.parseInt(opts.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        int steps = Integer.parseInt(opts.getOrDefault("steps", "20"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "4"));
        int batch = 128;
        String python = opts.getOrDefault("python", "/usr/bin/python3");
        Path script = home().resolve("src/bench/python/step_benchmark.py");
        Path conf = home().resolve(opts.getOrDefault("conf", "conf/resnet20.yml"));

        String waitPolicy = Engines.preferPassiveWaiting();
        Engines.configureThreads(threads, 1);
        String allocator = NativeAllocator.tune();
        LoadedData data = Datasets.load(DatasetConfig.embedded());
        TrainerConfig cfg = TrainerConfig.defaults().withOverrides(Map.of("batch_size", batch, "schedule", "constant"));
        long[] shape = data.config().inputShape();
        System.out.printf(Locale.ROOT, "StepBenchmark: ResNet-20 on %dx%dx%d, batch %d, SGD (momentum 0.9, weight decay 5e-4),"
                + " %d intra-op / 1 inter-op threads, OMP_WAIT_POLICY=%s, %d timed steps after %d warm-up, %d rounds%n"
                + "  malloc: %s%n", shape[0], shape[1], shape[2], batch, Engines.intraOpThreads(), waitPolicy, steps, warmup,
                rounds, allocator);

        Map<String, Side> sides = new LinkedHashMap<>();
        for (String name : List.of(OURS, TORCH, TORCH_CL, OURS_NCHW, HAND)) {
            sides.put(name, new Side());
        }
        String torchVersion = "?";
        for (int round = 1; round <= rounds; round++) {
            sides.get(OURS).add(TrialTrainer.stepTimes(network(conf, shape), shape, cfg, data, Device.cpu(), warmup, steps));
            JsonNode py = runPython(python, script, threads, batch, steps, warmup, waitPolicy, false);
            sides.get(TORCH).add(py.get("median_ms").asDouble(), py.get("cpu_ms_per_step").asDouble());
            torchVersion = py.get("torch").asText();
            JsonNode pyCl = runPython(python, script, threads, batch, steps, warmup, waitPolicy, true);
            sides.get(TORCH_CL).add(pyCl.get("median_ms").asDouble(), pyCl.get("cpu_ms_per_step").asDouble());
            sides.get(OURS_NCHW).add(TrialTrainer.stepTimes(network(conf, shape), shape,
                    cfg.withMemoryFormat(TrainerConfig.MemoryFormat.CONTIGUOUS), data, Device.cpu(), warmup, steps));
            sides.get(HAND).add(TrialTrainer.stepTimes(HandBuiltResNet20.build(10), shape, cfg, data, Device.cpu(), warmup, steps));
            StringBuilder line = new StringBuilder("  round " + round + ":");
            sides.forEach((name, side) -> line.append(String.format(Locale.ROOT, "  %s %.1f / %.1f ms", name, side.lastWall(),
                    side.lastCpu())));
            System.out.println(line.append("  (wall / CPU per step)"));
        }
        System.out.println("medians of the rounds, wall / CPU per step (libtorch 2.7.1 in DJL 0.36.0; PyTorch " + torchVersion
                + " is Debian's python3-torch 1.13.1):");
        sides.forEach((name, side) -> System.out.printf(Locale.ROOT, "  %-34s %7.1f / %7.1f ms%n", name, median(side.wall),
                median(side.cpu)));
        for (String reference : List.of(TORCH, TORCH_CL)) {
            System.out.printf(Locale.ROOT, "ratio %s / %s = %.3f wall, %.3f CPU (medians of the rounds' ratios)%n", OURS, reference,
                    medianRatio(sides.get(OURS).wall, sides.get(reference).wall),
                    medianRatio(sides.get(OURS).cpu, sides.get(reference).cpu));
        }
        System.out.println("goal: ratio to " + TORCH + " <= 1.0");
    }

    private static final String OURS = "finegrained (channels-last)";
    private static final String OURS_NCHW = "finegrained, memory_format contiguous";
    private static final String HAND = "DJL stock blocks (channels-last)";
    private static final String TORCH = "PyTorch (default, NCHW)";
    private static final String TORCH_CL = "PyTorch (channels_last)";

    /** The per-round medians of one contender. */
    private static final class Side {
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();

        void add(TrialTrainer.StepTimes times) {
            add(median(times.wallMs()), times.cpuMsPerStep());
        }

        void add(double wallMs, double cpuMs) {
            wall.add(wallMs);
            cpu.add(cpuMs);
        }

        double lastWall() {
            return wall.get(wall.size() - 1);
        }

        double lastCpu() {
            return cpu.get(cpu.size() - 1);
        }
    }

    private static double medianRatio(List<Double> a, List<Double> b) {
        double[] ratios = new double[a.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = a.get(i) / b.get(i);
        }
        return median(ratios);
    }

    /** The network under test: the default network of the config, built by the project's NetworkBuilder. */
    private static Block network(Path conf, long[] shape) {
        JobConfig job = JobConfig.load(conf);
        SearchSpace space = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS);
        return NetworkBuilder.build(space.defaults(), new Shape(shape));
    }

    private static JsonNode runPython(String python, Path script, int threads, int batch, int steps, int warmup,
            String waitPolicy, boolean channelsLast) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--threads", Integer.toString(threads),
                "--interop-threads", "1", "--batch", Integer.toString(batch), "--steps", Integer.toString(steps),
                "--warmup", Integer.toString(warmup)));
        if (channelsLast) {
            command.add("--channels-last");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("OMP_WAIT_POLICY", waitPolicy); // the same OpenMP behaviour as the Java side
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        if (code != 0) {
            throw new IllegalStateException("the PyTorch reference failed (exit " + code + "): " + String.join(" ", command));
        }
        String[] lines = out.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    private static Path home() {
        String home = System.getProperty("finegrained.home");
        Path root = Path.of(home == null ? "." : home);
        if (!Files.isRegularFile(root.resolve("src/bench/python/step_benchmark.py"))) {
            throw new IllegalStateException("cannot find src/bench/python/step_benchmark.py under " + root.toAbsolutePath()
                    + " (run through submit/bench)");
        }
        return root;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Map<String, String> options(String[] args) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: StepBenchmark [--threads N] [--steps N] [--warmup N] [--rounds N]"
                        + " [--python PATH] [--conf FILE]");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}
