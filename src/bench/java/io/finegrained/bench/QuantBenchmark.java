package io.finegrained.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.finegrained.api.Search;
import io.finegrained.api.SearchResult;
import io.finegrained.config.JobConfig;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.search.TrialResult;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.ModuleType;
import io.finegrained.space.ProcessModules;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.Datasets;
import io.finegrained.train.LoadedData;
import io.finegrained.train.ModelExport;
import io.finegrained.train.Split;
import io.finegrained.train.TrainerConfig;
import io.finegrained.train.TrialTrainer;
import io.finegrained.trial.CandidateOutcome;
import io.finegrained.trial.CandidateTraining;
import io.finegrained.trial.TrainingJob;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * QuantEA from a trained baseline against uniform quantization at equal bitops (issue #12's
 * acceptance): on the same data subset and the same short fine-tune from the baseline's weights,
 * (1) the QuantEA search of {@code conf/resnet20_quant_from_baseline.yml}, (2) every quantizable
 * layer at w8a8, (3) every one at w4a4. Each front model and each uniform model is then scored
 * on the test split (which no trial sees); the table gives, for each uniform point, the best
 * front accuracy at bitops ≤ its own.
 * <pre>
 *   submit/bench QuantBenchmark --out DIR [--baseline /work/runs/baseline-r20] [--train-size 6000]
 *       [--test-size 0] [--epochs 1] [--lr 0.01] [--population 8] [--generations 3] [--seed 1]
 *       [--threads 0] [--bits 2,4,8] [--data /usr/share/datasets/fashion-mnist] [--conf conf/resnet20_quant_from_baseline.yml]
 *       [--resume true]
 * </pre>
 * The idx source has no size key, so the subset is written into DIR/data as IDX files: the first
 * {@code --train-size} training images (of which {@code dataset.validation}, 0.1, are held out)
 * and the first {@code --test-size} test images, 0 for all 10,000. DIR must not exist yet (or be empty), unless
 * {@code --resume true} continues an interrupted run there with the same options (the search from
 * its journal; the uniform points and the test scores again). The
 * search goes to DIR/search, the uniform models to DIR/uniform-w8a8 and DIR/uniform-w4a4, the
 * table to DIR/summary.md. Quantization is simulated (fake-quantized float kernels), as in the
 * search; accuracies use per-batch activation ranges, as the trials do. Bounded by the search's
 * population × generations + 2 fine-tunes + their test scoring.
 */
public final class QuantBenchmark {
    private QuantBenchmark() {
    }

    /** One scored model. */
    private record Point(String name, long bitops, double validation, double test, String bits) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path root = Path.of(System.getProperty("project.root", "."));
        if (!opts.containsKey("out")) {
            System.err.println("usage: submit/bench QuantBenchmark --out DIR [options, see the class comment]");
            System.exit(2);
        }
        Path out = Path.of(opts.get("out")).toAbsolutePath();
        boolean resume = Boolean.parseBoolean(opts.getOrDefault("resume", "false"));
        if (!resume && Files.exists(out) && (!Files.isDirectory(out) || Files.list(out).findAny().isPresent())) {
            System.err.println(out + " exists and is not empty: name a new folder");
            System.exit(2);
        }
        Path baseline = Path.of(opts.getOrDefault("baseline", "/work/runs/baseline-r20")).toAbsolutePath();
        Path conf = root.resolve(opts.getOrDefault("conf", "conf/resnet20_quant_from_baseline.yml"));
        int testSize = Integer.parseInt(opts.getOrDefault("test-size", "0"));
        long started = System.nanoTime();

        // The idx source has no size key: the subset is written as IDX files (the first N images of each file).
        Path dataDir = out.resolve("data");
        if (!resume || !Files.isDirectory(dataDir)) {
            slice(Path.of(opts.getOrDefault("data", "/usr/share/datasets/fashion-mnist")), dataDir,
                    Integer.parseInt(opts.getOrDefault("train-size", "6000")), testSize);
        }
        Search search = Search.fromFile(conf)
                .with("search_space.process.init_model_file", baseline.toString())
                .with("dataset.path", dataDir.toString())
                .with("trainer.epochs", Integer.parseInt(opts.getOrDefault("epochs", "1")))
                .with("trainer.lr", Double.parseDouble(opts.getOrDefault("lr", "0.01")))
                .with("trainer.threads", Integer.parseInt(opts.getOrDefault("threads", "0")))
                .with("trainer.seed", Integer.parseInt(opts.getOrDefault("seed", "1")))
                .with("search_algorithm.population", Integer.parseInt(opts.getOrDefault("population", "8")))
                .with("search_algorithm.generations", Integer.parseInt(opts.getOrDefault("generations", "3")))
                .with("search_algorithm.seed", Integer.parseInt(opts.getOrDefault("seed", "1")));
        if (opts.containsKey("bits")) {
            search = search.with("search_algorithm.bit_candidates",
                    java.util.Arrays.stream(opts.get("bits").split(",")).map(b -> Integer.parseInt(b.trim())).toList());
        }
        Path searchDir = out.resolve("search");
        // --resume true: the search continues from its journal (no finished trial runs again); the
        // uniform points and the test scores are computed again.
        SearchResult result = search.output(searchDir).resume(resume).run();
        double searchSeconds = (System.nanoTime() - started) / 1e9;

        // The same job as the trials ran (the config as run, overrides included), for the uniform points.
        JobConfig asRun = JobConfig.load(searchDir.resolve("config.yml"));
        TrainingJob job = new TrainingJob(SearchSpace.parse(asRun.section("search_space"), TrainerConfig.KEYS),
                TrainerConfig.from(asRun.section("trainer")), DatasetConfig.from(asRun));
        LoadedData data = Datasets.load(job.dataset());
        long[] input = job.dataset().inputShape();
        ModuleSpec defaults = job.space().defaults();
        var layer = NetworkBuilder.expand(defaults, new Shape(input), ModuleRegistry.forSpec(defaults));
        int layers = ProcessModules.quantizable(layer).size();
        String quantPath = ProcessModules.find(layer, ModuleType.Role.QUANT).path();

        List<Point> front = new ArrayList<>();
        for (TrialResult r : result.frontList()) {
            Path model = searchDir.resolve("models").resolve(Integer.toString(r.id()));
            double test = testAccuracy(model, job.trainer(), data, input);
            Map<String, Object> hp = r.hyperparameters();
            front.add(new Point("trial " + r.id(), Math.round(r.metrics().get("bitops")), r.metrics().get("accuracy"), test,
                    "w" + hp.get(quantPath + "." + ModuleType.Role.WEIGHT_BITS) + " a" + hp.get(quantPath + "." + ModuleType.Role.ACTIVATION_BITS)));
        }
        front.sort(Comparator.comparingLong(Point::bitops));

        List<Point> uniform = new ArrayList<>();
        for (int bits : new int[] {8, 4}) {
            List<Long> list = Collections.nCopies(layers, (long) bits);
            Map<String, Object> values = Map.of(quantPath + "." + ModuleType.Role.WEIGHT_BITS, list,
                    quantPath + "." + ModuleType.Role.ACTIVATION_BITS, list);
            Path model = out.resolve("uniform-w" + bits + "a" + bits);
            if (Files.isDirectory(model)) {
                try (var old = Files.list(model)) { // ours, from an interrupted run: train it again
                    for (Path f : old.toList()) {
                        Files.delete(f);
                    }
                }
            }
            CandidateOutcome o = CandidateTraining.prepare(job, values).train(data, Split.VALIDATION, Device.cpu(), null, null, model);
            if (!o.ok()) {
                throw new IllegalStateException("uniform w" + bits + "a" + bits + " failed: " + o.reason());
            }
            uniform.add(new Point("uniform w" + bits + "a" + bits, Math.round(o.metrics().get("bitops")), o.metrics().get("accuracy"),
                    testAccuracy(model, job.trainer(), data, input), "all " + bits + "/" + bits));
        }
        double baselineTest = testAccuracy(baseline, job.trainer(), data, input);

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "QuantEA from %s: %s; fine-tune %d epoch(s) at lr %s from the baseline; population %s x %s"
                        + " generations; search %.0f s, total %.0f s%n%n", baseline, data, job.trainer().epochs(), job.trainer().learningRate(),
                opts.getOrDefault("population", "8"), opts.getOrDefault("generations", "3"), searchSeconds, (System.nanoTime() - started) / 1e9));
        md.append(String.format(Locale.ROOT, "Baseline (float, unchanged) test accuracy: %.4f%n%n", baselineTest));
        md.append("| model | bitops | validation acc. | test acc. | bits (w, a per layer) |\n| --- | --- | --- | --- | --- |\n");
        for (Point p : front) {
            md.append(row(p));
        }
        for (Point p : uniform) {
            md.append(row(p));
        }
        md.append("\n| uniform point | its bitops | its test acc. | best front test acc. at ≤ its bitops (model) | difference |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (Point u : uniform) {
            Point best = front.stream().filter(p -> p.bitops() <= u.bitops()).max(Comparator.comparingDouble(Point::test)).orElse(null);
            md.append(best == null
                    ? String.format(Locale.ROOT, "| %s | %,d | %.4f | none at ≤ its bitops | — |%n", u.name(), u.bitops(), u.test())
                    : String.format(Locale.ROOT, "| %s | %,d | %.4f | %.4f (%s, %,d bitops) | %+.2f points |%n", u.name(), u.bitops(), u.test(),
                            best.test(), best.name(), best.bitops(), 100 * (best.test() - u.test())));
        }
        System.out.print(md);
        Files.writeString(out.resolve("summary.md"), md.toString());
        System.exit(0); // the search's Spark session and DJL threads would keep the JVM up
    }

    private static String row(Point p) {
        return String.format(Locale.ROOT, "| %s | %,d | %.4f | %.4f | %s |%n", p.name(), p.bitops(), p.validation(), p.test(), p.bits());
    }

    /**
     * Writes the first {@code train} training images (and the first {@code test} test images, 0
     * for all) of the IDX files in {@code from} (gzipped or not) as plain IDX files into {@code to}.
     */
    static void slice(Path from, Path to, int train, int test) throws IOException {
        Files.createDirectories(to);
        copyHead(from, to, "train-images-idx3-ubyte", train);
        copyHead(from, to, "train-labels-idx1-ubyte", train);
        copyHead(from, to, "t10k-images-idx3-ubyte", test);
        copyHead(from, to, "t10k-labels-idx1-ubyte", test);
    }

    private static void copyHead(Path from, Path to, String name, int count) throws IOException {
        Path plain = from.resolve(name);
        Path gz = from.resolve(name + ".gz");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.isRegularFile(plain) ? Files.newInputStream(plain)
                : new GZIPInputStream(Files.newInputStream(gz))));
             DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(to.resolve(name))))) {
            int magic = in.readInt();
            int dims = magic & 0xff;
            int n = in.readInt();
            int keep = count <= 0 ? n : Math.min(count, n);
            long itemBytes = 1;
            int[] rest = new int[dims - 1];
            for (int d = 0; d < rest.length; d++) {
                rest[d] = in.readInt();
                itemBytes *= rest[d];
            }
            o.writeInt(magic);
            o.writeInt(keep);
            for (int r : rest) {
                o.writeInt(r);
            }
            byte[] items = new byte[Math.toIntExact(keep * itemBytes)];
            in.readFully(items);
            o.write(items);
        }
    }

    /** The test accuracy of an exported model, rebuilt from its own network.yml. */
    private static double testAccuracy(Path model, TrainerConfig trainer, LoadedData data, long[] input) throws Exception {
        String yaml = ModelExport.readYaml(model);
        JobConfig c = JobConfig.parse(yaml, model.resolve(ModelExport.YAML_FILE));
        ModuleSpec spec = SearchSpace.parse(c.section("search_space"), TrainerConfig.KEYS).defaults();
        return TrialTrainer.score(NetworkBuilder.build(spec, new Shape(input)), input, trainer, data, Split.TEST, Device.cpu(), model)[0];
    }
}
