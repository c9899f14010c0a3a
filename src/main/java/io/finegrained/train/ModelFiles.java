package io.finegrained.train;

import ai.djl.nn.Block;
import java.nio.file.Path;

/**
 * Files a training reads or writes besides data: a model to start from, and where to export the
 * trained one.
 *
 * @param initFrom a folder written by {@link ModelExport#save} whose parameters the network starts
 *     from, or null for a fresh initialization
 * @param exportTo a folder to export the trained network to, or null
 * @param resolvedYaml the fully resolved YAML of the network, written beside the parameters
 *     (needed when {@code exportTo} is set)
 * @param teacher the model to distill from ({@code trainer.distill_from}), or null
 */
public record ModelFiles(Path initFrom, Path exportTo, String resolvedYaml, Teacher teacher) {
    /** Neither reads nor writes a model. */
    public static final ModelFiles NONE = new ModelFiles(null, null, null, null);

    /**
     * A trained model the network learns from: its network, built from its export's network.yml
     * (uninitialized), and the local folder of that export.
     */
    public record Teacher(Block block, Path exportDir) {
    }

    /** Without a teacher. */
    public ModelFiles(Path initFrom, Path exportTo, String resolvedYaml) {
        this(initFrom, exportTo, resolvedYaml, null);
    }

    public ModelFiles {
        if (exportTo != null && resolvedYaml == null) {
            throw new IllegalArgumentException("exporting a model needs its resolved YAML");
        }
    }
}
