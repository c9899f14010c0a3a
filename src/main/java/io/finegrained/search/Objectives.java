package io.finegrained.search;

import io.finegrained.config.ConfigException;
import io.finegrained.config.ConfigNode;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The {@code objectives} section: metric names with {@code max} or {@code min}, in file order
 * ({@code {accuracy: max, macs: min}}). An empty section gives the algorithm's own default:
 * {@link AlgorithmProvider#defaultObjectives()} (accuracy vs MACs for BackboneNas and PruneEA,
 * accuracy vs bit-ops for QuantEA, accuracy alone for the others).
 */
public final class Objectives {
    private Objectives() {
    }

    /** Reads the section; an empty one gives the algorithm's own default objectives. */
    public static List<Objective> from(MapNode section, AlgorithmProvider algorithm) {
        if (section.keys().isEmpty()) {
            return algorithm.defaultObjectives();
        }
        List<Objective> out = new ArrayList<>();
        for (String metric : section.keys()) {
            ConfigNode node = section.require(metric);
            String text = Nodes.scalar(node).text().toLowerCase(Locale.ROOT);
            Objective.Direction direction = switch (text) {
                case "max", "maximize", "maximise" -> Objective.Direction.MAX;
                case "min", "minimize", "minimise" -> Objective.Direction.MIN;
                default -> throw ConfigException.at(node, "an objective is 'max' or 'min', found " + Nodes.scalar(node).describe());
            };
            out.add(new Objective(metric, direction));
        }
        return List.copyOf(out);
    }

    /**
     * Checks, before any trial runs, that whatever produces the metrics reports every objective:
     * a located error at the first objective it does not report, naming what it does report.
     *
     * @param section the objectives section as read (may be empty when defaults apply)
     * @param reporter what reports the metrics, for the message ("the DJL trainer")
     */
    public static void checkReported(MapNode section, List<Objective> objectives, Collection<String> reported, String reporter) {
        for (Objective o : objectives) {
            if (!reported.contains(o.metric())) {
                List<String> close = Suggestions.closest(o.metric(), reported);
                String hint = close.isEmpty() ? "" : "; did you mean " + Suggestions.quoteAll(close) + "?";
                String problem = reporter + " does not report '" + o.metric() + "' (it reports " + String.join(", ", reported) + ")" + hint;
                if (section.has(o.metric())) {
                    throw new ConfigException(section.keyLocation(o.metric()), section.childPath(o.metric()), problem);
                }
                throw new ConfigException(section.location(), section.path(), problem + " — it is a default objective of the algorithm; name the objectives in this section");
            }
        }
    }

    /**
     * A sentence naming the first objective an OK trial's metrics lack, or empty when all are
     * there: a command trial's first OK result is checked with this, and a lack stops the run.
     */
    public static java.util.Optional<String> missing(java.util.Map<String, Double> metrics, List<Objective> objectives) {
        for (Objective o : objectives) {
            if (!metrics.containsKey(o.metric())) {
                return java.util.Optional.of("the trial reports no '" + o.metric() + "', an objective of this search (it reports "
                        + (metrics.isEmpty() ? "nothing" : String.join(", ", metrics.keySet())) + ")");
            }
        }
        return java.util.Optional.empty();
    }
}
