package io.finegrained.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The genes of a search, in the order of the space: draws, recombines and mutates whole value
 * maps (a candidate's values are its genome). Immutable.
 */
public record Genome(List<Gene> genes) {

    public Genome {
        genes = List.copyOf(genes);
    }

    /** The number of elementary variables over all genes. */
    public int variables() {
        int n = 0;
        for (Gene g : genes) {
            n += g.variables();
        }
        return n;
    }

    /** The keys, in order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Gene g : genes) {
            keys.add(g.key());
        }
        return keys;
    }

    /**
     * A first population of {@code n} value maps from a Latin hypercube: for each gene the
     * population is cut into n strata and each individual gets a different one, so n points cover
     * every parameter's range evenly (McKay, Beckman and Conover 1979).
     */
    public List<Map<String, Object>> design(int n, Rng rng) {
        double[][] strata = new double[genes.size()][];
        for (int g = 0; g < genes.size(); g++) {
            int[] order = rng.permutation(n);
            strata[g] = new double[n];
            for (int i = 0; i < n; i++) {
                strata[g][i] = (order[i] + rng.nextDouble()) / n;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int g = 0; g < genes.size(); g++) {
                values.put(genes.get(g).key(), genes.get(g).design(rng, strata[g][i]));
            }
            out.add(Collections.unmodifiableMap(values));
        }
        return out;
    }

    /** Values drawn uniformly from every domain. */
    public Map<String, Object> random(Rng rng) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Gene g : genes) {
            values.put(g.key(), g.random(rng));
        }
        return Collections.unmodifiableMap(values);
    }

    /** Two children: recombined with the crossover probability, then each mutated. */
    public List<Map<String, Object>> offspring(Map<String, Object> a, Map<String, Object> b, Rng rng, Variation variation) {
        Map<String, Object> x = new LinkedHashMap<>();
        Map<String, Object> y = new LinkedHashMap<>();
        boolean cross = rng.nextDouble() < variation.crossoverProbability();
        for (Gene g : genes) {
            Object[] c = cross ? g.crossover(a.get(g.key()), b.get(g.key()), rng, variation)
                    : new Object[] {a.get(g.key()), b.get(g.key())};
            x.put(g.key(), g.mutate(c[0], rng, variation));
            y.put(g.key(), g.mutate(c[1], rng, variation));
        }
        return List.of(Collections.unmodifiableMap(x), Collections.unmodifiableMap(y));
    }

    /** Canonical values for every gene, or {@link IllegalArgumentException} naming the key. */
    public Map<String, Object> canonical(Map<String, ?> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Gene g : genes) {
            if (!values.containsKey(g.key())) {
                throw new IllegalArgumentException("no value for '" + g.key() + "'");
            }
            try {
                out.put(g.key(), g.canonical(values.get(g.key())));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new IllegalArgumentException(g.key() + ": " + e.getMessage(), e);
            }
        }
        if (values.size() != genes.size()) {
            List<String> extra = new ArrayList<>(values.keySet());
            extra.removeAll(keys());
            throw new IllegalArgumentException("values for keys outside the search: " + extra);
        }
        return Collections.unmodifiableMap(out);
    }

    /** A text equal for two value maps exactly when their canonical values are equal. */
    public String key(Map<String, ?> values) {
        StringBuilder sb = new StringBuilder();
        for (Gene g : genes) {
            Object v = values.get(g.key());
            sb.append(g.key()).append('=');
            if (v instanceof String s) {
                sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                sb.append(v);
            }
            sb.append(';');
        }
        return sb.toString();
    }
}
