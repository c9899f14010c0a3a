/**
 * Benchmarks: plain main classes run by {@code submit/bench NAME}. They live in
 * {@code src/bench/java}, a test source root (see docs/benchmarks.md): compiled with the tests,
 * never in the product's jar; tests may use their problems ({@code AlgorithmsWinTest}), never
 * their timings. Each prints its figures and the reference it compares against in the same run;
 * results are recorded with machine and date in {@code docs/benchmarks.md}.
 */
package io.finegrained.bench;
