/**
 * The typed job: every section of a job file parsed and validated once, into the settings of the
 * layer that owns it, before anything runs; dotted overrides validated like the file
 * ({@link io.finegrained.job.Job#with}). Above {@code config}, {@code space}, {@code search},
 * {@code train} and {@code trial}; below {@code spark} and {@code api}.
 */
package io.finegrained.job;
