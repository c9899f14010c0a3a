/**
 * The public API: {@link io.finegrained.api.Search} (a job from a file, a URI or a string, dotted
 * overrides, an output directory) run on the caller's {@code SparkSession}, giving a
 * {@link io.finegrained.api.SearchResult} whose trials and front are DataFrames. The CLI's
 * {@code search}, the notebooks and outside checks all go through it: one code path.
 */
package io.finegrained.api;
