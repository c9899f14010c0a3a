package io.finegrained.search;

import java.util.Map;

/**
 * An evaluated candidate as selection sees it: its values and its objectives turned to
 * "smaller is better". Only trials that finished OK with every objective finite become one.
 */
public record Individual(Map<String, Object> values, double[] objectives) {
}
