package io.finegrained.space;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open hyper-parameters of a search space, in the order the file lists them: what a search
 * algorithm sees. Keys are dotted paths ({@code layer.doublechannel}, {@code trainer.lr}) or, in
 * a space without modules, free names.
 */
public record ParameterSpace(Map<String, Domain> domains) {

    public ParameterSpace {
        domains = Collections.unmodifiableMap(new LinkedHashMap<>(domains));
    }

    /** Canonical values for every key, or {@link IllegalArgumentException} naming the key that does not fit. */
    public Map<String, Object> canonical(Map<String, ?> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Domain> e : domains.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new IllegalArgumentException("no value for '" + e.getKey() + "'");
            }
            try {
                out.put(e.getKey(), e.getValue().canonical(values.get(e.getKey())));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        if (!domains.keySet().containsAll(values.keySet())) {
            throw new IllegalArgumentException("values for unknown keys: " + values.keySet());
        }
        return Collections.unmodifiableMap(out);
    }
}
