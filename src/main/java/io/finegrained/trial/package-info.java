/**
 * Running one trial: a {@link io.finegrained.search.Candidate} in, a
 * {@link io.finegrained.search.TrialResult} out.
 *
 * <p>Contract of a {@link io.finegrained.trial.TrialRunner}: it is built on the driver, shipped to
 * executors (so it is {@link java.io.Serializable} and holds only plain settings), and must be
 * safe to call from several task threads of one JVM at once. Whatever goes wrong with a candidate
 * becomes a {@code FAILED} result with its reason ({@link io.finegrained.trial.GuardedTrial}); a
 * runner never retries. This package knows neither Spark nor the search algorithms.
 *
 * <p>{@link io.finegrained.trial.CandidateTraining} is the one way from a candidate's values to
 * a trained, scored network: the DJL trial and {@code finegrained train} both go through it and
 * keep only what is their own.
 *
 * <p>A {@link io.finegrained.trial.SegmentTrial} trains in segments for multi-fidelity search,
 * from a checkpoint to a resource: the DJL trial (epochs, its state in a
 * {@link io.finegrained.train.TrainingCheckpoint}) and {@link io.finegrained.trial.CommandSegmentTrial}
 * (the command-trial contract plus {@code resource} and {@code checkpoint_dir}).
 *
 * <p>A trial's files ({@code trial.log}, {@code model/}, a command's logs) go where
 * {@link io.finegrained.trial.TrialFiles.Destination#folder} says: the run directory's
 * {@code trials/<id>/} when this JVM reads the run's token there, else a local folder that the
 * Spark side delivers after the trial (copied to a remote run directory, or sent to the driver
 * with the result, within {@code trial.return_files_max_mb}).
 */
package io.finegrained.trial;
