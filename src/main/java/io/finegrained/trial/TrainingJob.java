package io.finegrained.trial;

import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.TrainerConfig;
import java.util.Objects;

/**
 * The sections of a job that a DJL training of a candidate reads, each parsed and validated by
 * its own layer: the search space, the trainer settings a candidate's {@code trainer.*} values
 * override, and the dataset. {@code train} and the DJL trial each decide the trainer settings
 * (the CLI's {@code --epochs}, a search's one-epoch default) before building this.
 *
 * @param space the parsed {@code search_space}; it must have modules to give a network
 * @param trainer the trainer settings before the candidate's own values
 * @param dataset the {@code dataset} section; its input shape is the network's
 */
public record TrainingJob(SearchSpace space, TrainerConfig trainer, DatasetConfig dataset) {
    public TrainingJob {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(dataset, "dataset");
    }
}
