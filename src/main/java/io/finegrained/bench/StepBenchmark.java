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
import io.finegrained.train.TrainerConfig;
import io.finegrained.train.TrialTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * still used about 50 ms of CPU per timed step). Rounds alternate Java and Python so a change in
 * machine load hits both; each side reports the
 * median of its timed steps after a warm-up, and the ratio Java / Python is printed (goal ≤ 1.0).
 * Each side also reports its process CPU time per step (all threads): on a shared machine the
 * wall time follows the other processes' load, the CPU time much less.
 * The network is the default network of {@code conf/resnet20.yml} (the seed's ResNet-20 without its
 * Quant module) built by {@code nn.NetworkBuilder}; the same ResNet-20 written with DJL's stock blocks
 * is timed beside it. The Java step is the training loop's own step ({@link TrialTrainer#stepTimes}): batch assembly
 * from real Fashion-MNIST images, forward, loss, backward, optimizer update, each step's arrays in
 * a sub-manager closed after it. The Python step runs on a tensor made beforehand.
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
        LoadedData data = Datasets.load(DatasetConfig.embedded());
        TrainerConfig cfg = TrainerConfig.defaults().withOverrides(Map.of("batch_size", batch, "schedule", "constant"));
        long[] shape = data.config().inputShape();
        System.out.printf(Locale.ROOT, "StepBenchmark: ResNet-20 on %dx%dx%d, batch %d, SGD (momentum 0.9, weight decay 5e-4),"
                + " %d intra-op / 1 inter-op threads, OMP_WAIT_POLICY=%s, %d timed steps after %d warm-up, %d rounds%n",
                shape[0], shape[1], shape[2], batch, Engines.intraOpThreads(), waitPolicy, steps, warmup, rounds);

        List<Double> java = new ArrayList<>();
        List<Double> hand = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        List<Double> javaCpu = new ArrayList<>();
        List<Double> torchCpu = new ArrayList<>();
        String torchVersion = "?";
        for (int round = 1; round <= rounds; round++) {
            TrialTrainer.StepTimes ours = TrialTrainer.stepTimes(network(conf, shape), shape, cfg, data, Device.cpu(), warmup, steps);
            JsonNode py = runPython(python, script, threads, batch, steps, warmup, waitPolicy);
            TrialTrainer.StepTimes plain = TrialTrainer.stepTimes(HandBuiltResNet20.build(10), shape, cfg, data, Device.cpu(),
                    warmup, steps);
            java.add(median(ours.wallMs()));
            javaCpu.add(ours.cpuMsPerStep());
            torch.add(py.get("median_ms").asDouble());
            torchCpu.add(py.get("cpu_ms_per_step").asDouble());
            torchVersion = py.get("torch").asText();
            hand.add(median(plain.wallMs()));
            ratios.add(java.get(round - 1) / torch.get(round - 1));
            cpuRatios.add(javaCpu.get(round - 1) / torchCpu.get(round - 1));
            System.out.printf(Locale.ROOT, "  round %d: wall finegrained %.1f ms, PyTorch %.1f ms, hand-built DJL %.1f ms (ratio %.3f);"
                    + " CPU finegrained %.1f ms, PyTorch %.1f ms (ratio %.3f)%n", round, java.get(round - 1),
                    torch.get(round - 1), hand.get(round - 1), ratios.get(round - 1), javaCpu.get(round - 1),
                    torchCpu.get(round - 1), cpuRatios.get(round - 1));
        }
        System.out.printf(Locale.ROOT, "finegrained (DJL 0.36.0, libtorch 2.7.1)           median %.1f ms/step, CPU %.1f ms/step%n",
                median(java), median(javaCpu));
        System.out.printf(Locale.ROOT, "PyTorch %s (Debian python3-torch 1.13.1)      median %.1f ms/step, CPU %.1f ms/step%n",
                torchVersion, median(torch), median(torchCpu));
        System.out.printf(Locale.ROOT, "hand-built DJL blocks (DJL 0.36.0, libtorch 2.7.1) median %.1f ms/step%n", median(hand));
        System.out.printf(Locale.ROOT, "ratio finegrained / PyTorch = %.3f wall, %.3f CPU (medians of the rounds' ratios; goal <= 1.0)%n",
                median(ratios), median(cpuRatios));
    }

    /** The network under test: the default network of the config, built by the project's NetworkBuilder. */
    private static Block network(Path conf, long[] shape) {
        JobConfig job = JobConfig.load(conf);
        SearchSpace space = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS);
        return NetworkBuilder.build(space.defaults(), new Shape(shape));
    }

    private static JsonNode runPython(String python, Path script, int threads, int batch, int steps, int warmup,
            String waitPolicy) throws IOException, InterruptedException {
        List<String> command = List.of(python, script.toString(), "--threads", Integer.toString(threads),
                "--interop-threads", "1", "--batch", Integer.toString(batch), "--steps", Integer.toString(steps),
                "--warmup", Integer.toString(warmup));
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
