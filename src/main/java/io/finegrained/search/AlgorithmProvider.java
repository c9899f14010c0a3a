package io.finegrained.search;

import java.util.List;

/**
 * A search algorithm plug-in. An implementation listed in
 * {@code META-INF/services/io.finegrained.search.AlgorithmProvider} of any jar on the classpath
 * is selected by {@code search_algorithm.type} equal to its {@link #name()} or one of its
 * {@link #aliases()}, in any letter case ({@link Algorithms}). The built-in algorithms are
 * providers too, found the same way.
 *
 * <p>A provider is stateless: {@link #create} reads and checks its own keys of the
 * {@code search_algorithm} section (every refusal a located {@code ConfigException}, through
 * {@link AlgorithmSection}) and returns a fresh {@link Searcher} each call; resume creates a
 * second one and replays the journal into it.
 */
public interface AlgorithmProvider {

    /** The type name written in YAML ({@code NSGA2}). */
    String name();

    /** Other names it answers to ({@code BackboneNasSearch}, the seed's name for BackboneNas). */
    default List<String> aliases() {
        return List.of();
    }

    /**
     * The keys of the {@code search_algorithm} section this algorithm reads, besides {@code type}.
     * Any other key is refused where it is written, saying which algorithms take it.
     */
    List<String> keys();

    /** Why a key of another algorithm does not apply here, appended to the refusal ("; its budget is ..."). */
    default String foreignKeyHint(String key) {
        return "";
    }

    /** The objectives when the file names none. */
    default List<Objective> defaultObjectives() {
        return List.of(new Objective("accuracy", Objective.Direction.MAX));
    }

    /**
     * A fresh searcher over the problem, with the settings of the section; throws a located
     * {@code ConfigException} for what it cannot run (a domain it does not handle, a module the
     * space lacks, too many objectives, a budget over a limit).
     */
    Searcher create(AlgorithmSection section, SearchProblem problem);
}
