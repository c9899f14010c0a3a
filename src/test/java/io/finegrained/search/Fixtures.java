package io.finegrained.search;

import io.finegrained.config.MapNode;
import io.finegrained.config.YamlLoader;
import io.finegrained.space.Domain;
import io.finegrained.space.InvalidCandidateException;
import io.finegrained.space.NetworkFacts;
import io.finegrained.space.ParameterSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Helpers shared by the search tests. */
final class Fixtures {
    private Fixtures() {
    }

    static MapNode yaml(String text) {
        return YamlLoader.parse(text, "job.yml");
    }

    /** A search_algorithm section as written (kept as text: the providers read it). */
    static String settings(String text) {
        return text;
    }

    /** The generational algorithm a search_algorithm section makes over the problem. */
    static SearchAlgorithm algorithm(String section, ParameterSpace space, List<Objective> objectives, NetworkFacts facts,
                                     Constraints constraints) {
        return Algorithms.standard().generational(yaml(section), new SearchProblem(space, objectives, facts, constraints));
    }

    static SearchAlgorithm create(String settings, ParameterSpace space, List<Objective> objectives) {
        return algorithm(settings, space, objectives, null, Constraints.none());
    }

    /** An algorithm's default objectives. */
    static List<Objective> defaults(String type) {
        return Algorithms.standard().find(type).defaultObjectives();
    }

    static Objective min(String metric) {
        return new Objective(metric, Objective.Direction.MIN);
    }

    static Objective max(String metric) {
        return new Objective(metric, Objective.Direction.MAX);
    }

    /** A space of the given key/domain pairs, in order. */
    static ParameterSpace space(Object... keysAndDomains) {
        Map<String, Domain> d = new LinkedHashMap<>();
        for (int i = 0; i < keysAndDomains.length; i += 2) {
            d.put((String) keysAndDomains[i], (Domain) keysAndDomains[i + 1]);
        }
        return new ParameterSpace(d);
    }

    static Domain.FloatRange unit() {
        return new Domain.FloatRange(0, 1, false, null);
    }

    /** Runs the algorithm to its end; returns every generation's asked values, in order. */
    static List<List<Map<String, Object>>> drive(SearchAlgorithm algorithm, Function<Map<String, Object>, Map<String, Double>> evaluate) {
        List<List<Map<String, Object>>> generations = new ArrayList<>();
        int id = 0;
        for (int g = 0; g < 10_000; g++) {
            List<Map<String, Object>> asked = algorithm.ask();
            if (asked.isEmpty()) {
                return generations;
            }
            generations.add(asked);
            List<TrialResult> results = new ArrayList<>();
            for (Map<String, Object> values : asked) {
                results.add(TrialResult.ok(new Candidate(id++, g, values), evaluate.apply(values), 1));
            }
            algorithm.tell(results);
        }
        throw new AssertionError("the algorithm never ended");
    }

    /** Sum of squares of the reals, and its negation: a smooth two-objective stand-in. */
    static Map<String, Double> sphere(Map<String, Object> values) {
        double f1 = 0;
        double f2 = 0;
        for (Object v : values.values()) {
            if (v instanceof Double d) {
                f1 += d * d;
                f2 += (1 - d) * (1 - d);
            }
        }
        return Map.of("f1", f1, "f2", f2);
    }

    /**
     * NetworkFacts for tests: a network whose MACs are 1000 × the number of ones of every code
     * in the values plus 10 × every integer, which is invalid when a code named {@code invalid}
     * holds only zeros, and whose identity ignores the key {@code ignored} (two value sets that
     * differ only there are the same network).
     */
    static class CountingFacts implements NetworkFacts {
        int measured;

        @Override
        public Map<String, Double> measure(Map<String, Object> values) {
            measured++;
            double macs = 0;
            for (Map.Entry<String, Object> e : values.entrySet()) {
                if (e.getValue() instanceof List<?> list) {
                    int ones = ones(list);
                    if (e.getKey().equals("invalid") && ones == 0) {
                        throw new InvalidCandidateException("no ones");
                    }
                    macs += 1000 * ones;
                } else if (e.getValue() instanceof Long l) {
                    macs += 10 * l;
                }
            }
            return Map.of("macs", macs, "params", macs / 10);
        }

        private static int ones(List<?> list) {
            int ones = 0;
            for (Object o : list) {
                ones += o instanceof List<?> inner ? ones(inner) : ((Number) o).intValue();
            }
            return ones;
        }

        @Override
        public String identity(Map<String, Object> values) {
            Map<String, Object> kept = new LinkedHashMap<>(values);
            kept.remove("ignored");
            return kept.toString();
        }

        @Override
        public int quantizableLayers() {
            return 3;
        }

        @Override
        public List<Integer> prunableChannels() {
            return List.of(2, 3);
        }

        @Override
        public String quantPath() {
            return "q";
        }

        @Override
        public String prunePath() {
            return "p";
        }
    }
}
