package io.finegrained.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One proposed trial: an id unique within the run (resume included), the generation that
 * proposed it (0 = first population) and a value for every open hyper-parameter.
 */
public record Candidate(int id, int generation, Map<String, Object> hyperparameters) implements java.io.Serializable {
    public Candidate {
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }
}
