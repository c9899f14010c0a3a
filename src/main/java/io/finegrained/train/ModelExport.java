package io.finegrained.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained network on disk: its parameters in DJL's format ({@value #PARAMETERS_FILE}, what
 * {@code Model.save} writes for a model named {@value #MODEL_NAME}) and the fully resolved YAML of
 * the network ({@value #YAML_FILE}), from which the same block can be built again before its
 * parameters are loaded ({@code train --init-from}, the Prune step).
 */
public final class ModelExport {
    public static final String MODEL_NAME = "model";
    public static final String PARAMETERS_FILE = MODEL_NAME + "-0000.params";
    public static final String YAML_FILE = "network.yml";

    private ModelExport() {
    }

    /** Writes the (initialized) block's parameters and the network's YAML into {@code dir}. */
    public static void save(Path dir, Block block, String resolvedYaml) {
        try {
            Files.createDirectories(dir);
            // A model only to reach DJL's file format; the block's arrays belong to another
            // manager, so closing this model leaves them alone.
            try (Model holder = Model.newInstance(MODEL_NAME)) {
                holder.setBlock(block);
                holder.setProperty("Epoch", "0");
                holder.save(dir, MODEL_NAME);
            }
            Files.writeString(dir.resolve(YAML_FILE), resolvedYaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The resolved YAML stored in an export folder. */
    public static String readYaml(Path dir) {
        Path file = dir.resolve(YAML_FILE);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + "); expected the network YAML of an"
                    + " exported model", e);
        }
    }

    /**
     * Loads the exported parameters into the model's block (built from the same YAML); arrays
     * go to the model's manager. Call before the model is trained or used.
     */
    public static void loadInto(Model model, Path dir) throws IOException, MalformedModelException {
        if (!Files.isRegularFile(dir.resolve(PARAMETERS_FILE))) {
            throw new IOException(dir.resolve(PARAMETERS_FILE) + ": no such file; expected the parameters of a model"
                    + " exported by finegrained");
        }
        model.load(dir, MODEL_NAME);
    }
}
