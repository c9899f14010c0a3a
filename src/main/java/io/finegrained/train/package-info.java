/**
 * Training and scoring one candidate network with DJL on real data: the trial an executor runs,
 * and what {@code submit/finegrained train} uses. Knows neither the search nor Spark.
 *
 * <ul>
 * <li>Data: {@link io.finegrained.train.DatasetConfig} (the {@code dataset} section) names the
 * images: the embedded Fashion-MNIST subset (default), IDX files, CIFAR-10 binary batches, Parquet
 * tables, folders of PNG/JPEG per class, or synthetic images, at a {@link io.finegrained.train.DataLocation}
 * on any Hadoop file system ({@link io.finegrained.train.HadoopConf} configures it; docs/data.md).
 * {@link io.finegrained.train.Datasets#load} reads them once per JVM (while the files' fingerprint
 * holds, within a byte budget) into an
 * immutable {@link io.finegrained.train.LoadedData} shared by every trial (thread-safe); the
 * validation split is carved from the training images, never from test. Unreadable data raises
 * {@link io.finegrained.train.DatasetException} naming the file and what was expected.</li>
 * <li>Training: {@link io.finegrained.train.TrainerConfig} (the {@code trainer} section, immutable,
 * validated in one place) and {@link io.finegrained.train.TrialTrainer#train}, which returns a
 * {@link io.finegrained.train.TrainingOutcome}: OK with metrics, or FAILED with a reason (NaN or
 * diverging loss, a network that does not fit). One DJL training per JVM at a time: DJL's gradient
 * collector is JVM-global, so callers serialize trainings within a JVM.</li>
 * <li>Memory: each step's arrays live in a sub-manager closed after the step; parameters and
 * optimizer state live in the trial's model, closed when the trial ends.</li>
 * <li>Engine: {@link io.finegrained.train.Engines} sets the JVM's thread counts once and warms the
 * engine up outside timed work.</li>
 * <li>Export: {@link io.finegrained.train.ModelExport} writes DJL parameters plus the resolved YAML.</li>
 * </ul>
 */
package io.finegrained.train;
