package io.finegrained.search;

import io.finegrained.config.ConfigException;
import io.finegrained.config.MapNode;
import io.finegrained.config.Nodes;
import io.finegrained.config.Suggestions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The algorithm providers on the classpath, by name: every {@link AlgorithmProvider} listed in a
 * {@code META-INF/services/io.finegrained.search.AlgorithmProvider} file, the built-ins included
 * (this project's jar lists them). Names and aliases match in any letter case; two providers
 * answering to one name are an error naming both jars. Immutable.
 */
public final class Algorithms {
    /** What an empty section, or one without {@code type}, runs. */
    public static final String DEFAULT_TYPE = "NSGA2";

    private static volatile Algorithms standard;

    private final Map<String, AlgorithmProvider> byName;
    private final List<AlgorithmProvider> providers;

    private Algorithms(List<AlgorithmProvider> providers) {
        Map<String, AlgorithmProvider> names = new LinkedHashMap<>();
        for (AlgorithmProvider p : providers) {
            List<String> all = new ArrayList<>();
            all.add(p.name());
            all.addAll(p.aliases());
            for (String name : all) {
                AlgorithmProvider before = names.putIfAbsent(name.toLowerCase(Locale.ROOT), p);
                if (before != null && before != p) {
                    throw new IllegalStateException("two search algorithms answer to the name '" + name + "': "
                            + describe(before) + " and " + describe(p) + "; remove one of the jars from the classpath");
                }
            }
        }
        this.byName = Collections.unmodifiableMap(names);
        this.providers = List.copyOf(providers);
    }

    /** The providers of the thread's context class loader (loaded once per JVM). */
    public static Algorithms standard() {
        Algorithms a = standard;
        if (a == null) {
            synchronized (Algorithms.class) {
                if (standard == null) {
                    ClassLoader loader = Thread.currentThread().getContextClassLoader();
                    standard = load(loader == null ? Algorithms.class.getClassLoader() : loader);
                }
                a = standard;
            }
        }
        return a;
    }

    /** The providers a class loader sees (a test or a notebook with its own jars). */
    public static Algorithms load(ClassLoader loader) {
        List<AlgorithmProvider> found = new ArrayList<>();
        try {
            for (AlgorithmProvider p : ServiceLoader.load(AlgorithmProvider.class, loader)) {
                found.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a search algorithm plug-in could not be loaded: " + e.getMessage(), e);
        }
        return of(found);
    }

    /** A registry of exactly these providers. */
    public static Algorithms of(List<AlgorithmProvider> providers) {
        return new Algorithms(providers);
    }

    /** Every provider, in classpath order. */
    public List<AlgorithmProvider> providers() {
        return providers;
    }

    /** The type names, in classpath order. */
    public List<String> names() {
        return providers.stream().map(AlgorithmProvider::name).toList();
    }

    /**
     * The provider the section's {@code type} names ({@value #DEFAULT_TYPE} when it names none),
     * with every key of the section checked against it: a key of another algorithm is refused
     * naming the algorithms it applies to, an unknown key with a "did you mean".
     */
    public AlgorithmProvider select(MapNode section) {
        AlgorithmProvider provider = section.has("type") ? byName(section) : find(DEFAULT_TYPE);
        checkKeys(section, provider);
        return provider;
    }

    /** The provider of a name or alias, any letter case; null when none answers to it. */
    public AlgorithmProvider find(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** A fresh searcher of the section's algorithm over the problem. */
    public Searcher create(MapNode section, SearchProblem problem) {
        return select(section).create(new AlgorithmSection(section), problem);
    }

    /**
     * The generational algorithm of the section, for code that drives ask/tell itself (the
     * benchmarks, the search tests); {@link IllegalArgumentException} for an asynchronous one.
     */
    public SearchAlgorithm generational(MapNode section, SearchProblem problem) {
        Searcher searcher = create(section, problem);
        if (searcher instanceof Generations g) {
            return g.algorithm();
        }
        throw new IllegalArgumentException(searcher.name() + " is not a generational algorithm");
    }

    private AlgorithmProvider byName(MapNode section) {
        String name = Nodes.scalar(section.require("type")).asString();
        AlgorithmProvider p = find(name);
        if (p == null) {
            List<String> every = new ArrayList<>();
            for (AlgorithmProvider q : providers) {
                every.add(q.name());
                every.addAll(q.aliases());
            }
            List<String> close = Suggestions.closest(name, every);
            throw ConfigException.at(section.require("type"), "unknown search algorithm '" + name + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + Suggestions.quoteAll(close) + "?")
                    + " (known: " + String.join(", ", names()) + "; a plug-in's jar is added with --jars)");
        }
        return p;
    }

    private void checkKeys(MapNode section, AlgorithmProvider provider) {
        Set<String> own = new LinkedHashSet<>(provider.keys());
        own.add("type");
        Set<String> every = new LinkedHashSet<>(own);
        for (AlgorithmProvider p : providers) {
            every.addAll(p.keys());
        }
        for (String key : section.keys()) {
            if (own.contains(key) || !every.contains(key)) {
                continue;
            }
            List<String> takers = providers.stream().filter(p -> p.keys().contains(key)).map(AlgorithmProvider::name).toList();
            throw new ConfigException(section.keyLocation(key), section.childPath(key), "'" + key + "' does not apply to "
                    + provider.name() + provider.foreignKeyHint(key) + " (it applies to " + String.join(", ", takers) + ")");
        }
        section.checkKeys(new ArrayList<>(own), "the search_algorithm section");
    }

    private static String describe(AlgorithmProvider p) {
        String where;
        try {
            var source = p.getClass().getProtectionDomain().getCodeSource();
            where = source == null || source.getLocation() == null ? "an unknown jar" : source.getLocation().toString();
        } catch (SecurityException e) {
            where = "an unknown jar";
        }
        return p.getClass().getName() + " in " + where;
    }
}
