package io.finegrained.space;

import io.finegrained.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Loads the seed examples from conf/seed for tests. */
public final class SeedSpaces {
    public static final Set<String> TRAINER_KEYS = Set.of("lr", "momentum", "weight_decay", "batch_size", "epochs");

    private SeedSpaces() {
    }

    public static Path root() {
        return Path.of(System.getProperty("project.root", "."));
    }

    public static Path seed(String name) {
        return root().resolve("conf/seed").resolve(name);
    }

    public static SearchSpace load(Path file) {
        return SearchSpace.parse(JobConfig.load(file).section("search_space"), TRAINER_KEYS);
    }

    public static SearchSpace seedSpace(String name) {
        return load(seed(name));
    }

    /** Parses a search_space given as YAML text (the text under {@code search_space:}). */
    public static SearchSpace text(String yaml) {
        return SearchSpace.parse(JobConfig.parse(yaml, Path.of("test.yml")).section("search_space"), TRAINER_KEYS);
    }

    public static List<Path> allSeeds() throws java.io.IOException {
        try (Stream<Path> files = Files.list(root().resolve("conf/seed"))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
