package io.finegrained.trial;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.config.Location;
import io.finegrained.nn.NetworkBuilder;
import io.finegrained.nn.WeightTransfer;
import io.finegrained.space.KeptChannels;
import io.finegrained.space.Layer;
import io.finegrained.space.ModuleRegistry;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.ModuleType.Role;
import io.finegrained.space.Origin;
import io.finegrained.space.ProcessModules;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DataLocation;
import io.finegrained.train.DatasetException;
import io.finegrained.train.ModelExport;
import io.finegrained.train.ModelFiles;
import io.finegrained.train.SettingException;
import io.finegrained.train.ModelTransfer;
import io.finegrained.train.TrainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The trained model a Prune or Quant starts from ({@code init_model_file}, or {@code path} as
 * Vega's code names it): a model exported by this project ({@code train --output}, a run's
 * {@code models/<id>/}), at a path (relative to the job file's folder) or a URI. Read when a
 * training starts, never when the job is loaded or explained. The parent is rebuilt from its
 * {@code network.yml} and loaded; the candidate's start parameters are the parent's, cut to the
 * kept channels of a Prune ({@link WeightTransfer}), saved as an export of the candidate's own
 * network that the training then loads like {@code --init-from}. Every refusal is a
 * {@link ConfigException} at the key that names the model.
 */
final class StartModel {
    /** The keys that name the start model, in the order they are looked for. */
    static final List<String> KEYS = List.of("init_model_file", "path");

    /** Where the model is named: the text, the module's key and where it was written. */
    record Named(String text, String keyPath, Location location, Path baseDir) {
        ConfigException refuse(String problem) {
            return new ConfigException(location, keyPath, "the model to start from, " + text + ", " + problem);
        }
    }

    private StartModel() {
    }

    /** The model the network's Prune or Quant names, or null when neither names one. */
    static Named find(ModuleSpec network, long[] inputShape) {
        Layer root = NetworkBuilder.expand(network, new Shape(inputShape), ModuleRegistry.forSpec(network));
        Named found = null;
        for (Role role : List.of(Role.PRUNE, Role.QUANT)) {
            Layer l = ProcessModules.find(root, role);
            if (l == null) {
                continue;
            }
            for (String key : KEYS) {
                if (l.spec().has(key) && l.spec().get(key) != null) {
                    Named n = named(l, key);
                    if (found != null && !found.text().equals(n.text())) {
                        throw n.refuse("differs from " + found.keyPath() + " (" + found.text() + "): name one model");
                    }
                    found = found == null ? n : found;
                }
            }
        }
        return found;
    }

    private static Named named(Layer module, String key) {
        Origin o = module.spec().origin(key);
        String keyPath = o != null ? o.keyPath() : module.path() + "." + key;
        Location at = o != null ? o.location() : new Location("<network>", 0, 0);
        Path base = Path.of("").toAbsolutePath();
        if (o != null && o.file() != null) {
            Path parent = Path.of(o.file()).toAbsolutePath().getParent();
            if (parent != null && Files.isDirectory(parent)) {
                base = parent;
            }
        }
        return new Named(String.valueOf(module.spec().get(key)), keyPath, at, base);
    }

    /** The local folder of the named export (fetched when remote); refuses a PyTorch file or a folder without an export. */
    static Path fetch(Named named) {
        return fetch(named.text(), named.baseDir(), named::refuse);
    }

    /**
     * The local folder of the export {@code text} names (fetched when remote), relative paths
     * against {@code baseDir}; {@code refuse} turns a problem into the caller's error.
     */
    static Path fetch(String text, Path baseDir, Function<String, RuntimeException> refuse) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pth") || lower.endsWith(".pt") || lower.endsWith(".pth.tar") || lower.endsWith(".ckpt")) {
            throw refuse.apply("is a PyTorch file, which this project does not read; name a model exported by finegrained:"
                    + " a `train --output` folder or a run's models/<id>/ (" + ModelExport.PARAMETERS_FILE + " and "
                    + ModelExport.YAML_FILE + ")");
        }
        Path local;
        try {
            local = ModelTransfer.fetch(DataLocation.parse(text, baseDir));
        } catch (DatasetException e) {
            throw refuse.apply("cannot be used: " + e.getMessage());
        }
        if (!Files.isRegularFile(local.resolve(ModelExport.YAML_FILE))) {
            throw refuse.apply("has no " + ModelExport.YAML_FILE + ": expected a model exported by finegrained");
        }
        return local;
    }

    /**
     * The uninitialized network of the export in {@code exportDir}, built from its network.yml.
     *
     * @throws IllegalArgumentException when its network.yml gives no network for the input shape
     */
    static Block exportedNetwork(Path exportDir, long[] inputShape) throws IOException {
        String yaml = ModelExport.readYaml(exportDir);
        ModuleSpec spec;
        try {
            JobConfig exported = JobConfig.parse(yaml, exportDir.resolve(ModelExport.YAML_FILE));
            spec = SearchSpace.parse(exported.section("search_space"), TrainerConfig.KEYS).defaults();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its " + ModelExport.YAML_FILE + " gives no network: " + e.getMessage(), e);
        }
        Shape sample = new Shape(inputShape);
        try {
            return NetworkBuilder.build(spec, sample);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its network does not fit the input shape " + sample + ": " + e.getMessage(), e);
        }
    }

    /**
     * The teacher {@code trainer.distill_from} names: its network (uninitialized) and the local
     * folder of its export. Every refusal is a {@link SettingException} at {@code distill_from}.
     */
    static ModelFiles.Teacher teacher(TrainerConfig trainer, long[] inputShape) {
        Function<String, RuntimeException> refuse = teacherRefusal(trainer);
        Path dir = fetch(trainer.distillFrom(), Path.of("").toAbsolutePath(), refuse);
        try {
            return new ModelFiles.Teacher(exportedNetwork(dir, inputShape), dir);
        } catch (IllegalArgumentException e) {
            throw refuse.apply(e.getMessage());
        } catch (IOException e) {
            throw refuse.apply("cannot be loaded: " + e.getMessage());
        }
    }

    /** Loads the teacher once (then releases it), so that one that does not load is refused before any training. */
    static void checkTeacher(TrainerConfig trainer, long[] inputShape) {
        ModelFiles.Teacher teacher = teacher(trainer, inputShape);
        try (Model model = Model.newInstance("teacher-check", Device.cpu())) {
            model.setBlock(teacher.block());
            ModelExport.loadInto(model, teacher.exportDir());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw teacherRefusal(trainer).apply("cannot be loaded: " + e.getMessage());
        }
    }

    private static Function<String, RuntimeException> teacherRefusal(TrainerConfig trainer) {
        return problem -> new SettingException("trainer", "distill_from",
                "the model to distill from, " + trainer.distillFrom() + ", " + problem);
    }

    /**
     * Writes into a new temporary folder the start parameters of {@code network} taken from the
     * export in {@code parentDir}: an export of the candidate's own network.
     *
     * @throws WeightTransfer.Mismatch naming the first parameter that does not fit and both shapes
     * @throws IllegalArgumentException when the parent's network.yml gives no network for the input shape
     */
    static Path derive(Path parentDir, ModuleSpec network, long[] inputShape) throws IOException, MalformedModelException {
        Block parentBlock = exportedNetwork(parentDir, inputShape);
        Shape sample = new Shape(inputShape);
        Layer root = NetworkBuilder.expand(network, sample, ModuleRegistry.forSpec(network));
        Map<String, KeptChannels> kept = ProcessModules.keptChannels(root);
        Block candidate = NetworkBuilder.build(root);
        Path out = Files.createTempDirectory("finegrained-start-");
        out.toFile().deleteOnExit();
        try (Model parent = Model.newInstance("parent", Device.cpu()); Model start = Model.newInstance("start", Device.cpu())) {
            parent.setBlock(parentBlock);
            ModelExport.loadInto(parent, parentDir);
            start.setBlock(candidate);
            candidate.initialize(start.getNDManager(), DataType.FLOAT32, new Shape(1, inputShape[0], inputShape[1], inputShape[2]));
            WeightTransfer.copy(parentBlock, candidate, kept);
            ModelExport.save(out, candidate, network.toYaml());
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e);
        }
        for (String name : List.of(ModelExport.PARAMETERS_FILE, ModelExport.YAML_FILE)) {
            out.resolve(name).toFile().deleteOnExit();
        }
        return out;
    }

    /** {@link #derive}, every failure a refusal at the key naming the model. */
    static Path deriveOrRefuse(Named named, Path parentDir, ModuleSpec network, long[] inputShape) {
        try {
            return derive(parentDir, network, inputShape);
        } catch (WeightTransfer.Mismatch e) {
            throw named.refuse("does not fit the network: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw named.refuse(e.getMessage());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw named.refuse("cannot be loaded: " + e.getMessage());
        }
    }
}
