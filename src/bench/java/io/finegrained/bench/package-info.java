/**
 * Benchmarks: plain main classes run by {@code submit/bench NAME}, never by the test suite.
 * Each prints its figures and the reference it compares against in the same run; results are
 * recorded with machine and date in {@code docs/benchmarks.md}.
 */
package io.finegrained.bench;
