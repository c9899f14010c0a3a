package io.finegrained.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc malloc settings under which libtorch reuses its activation memory in a JVM.
 *
 * <p>Every training step frees and reallocates the same few hundred megabytes of activations.
 * In a plain Python process these come from glibc's main heap and are reused; in a JVM the
 * thread that trains is not the process's first thread, so its allocations land in a secondary
 * arena made of 64 MB heaps, which glibc unmaps as soon as they are empty: every step then
 * touches fresh pages, and the page faults land in the first kernel that writes each
 * activation (ReLU, batch norm ran at half speed). One arena plus fixed mmap and trim thresholds
 * keep the memory mapped: measured on ResNet-20 (docs/training.md), minor page faults fell from
 * about 1.5 million to 0.2 million over 60 steps and CPU per step by 10 to 15 %, for about 60 MB
 * more peak memory.
 *
 * <p>{@code MALLOC_ARENA_MAX} only takes full effect from the environment, before the JVM
 * starts: the launcher ({@code submit/finegrained}) and {@code submit/spark-submit.sh} set
 * {@link #ENVIRONMENT} and {@code spark.executorEnv.*} carries it to executors. {@link #tune} sets
 * whatever the environment left unset through {@code mallopt} at run time, which helps threads
 * that have not allocated yet. Other C libraries: nothing happens.
 */
public final class NativeAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);

    /** The settings as environment variables, in the order glibc documents them. */
    public static final Map<String, String> ENVIRONMENT = environment();

    // mallopt parameter numbers from glibc's malloc.h.
    private static final Map<String, Integer> MALLOPT = Map.of(
            "MALLOC_ARENA_MAX", -8, "MALLOC_MMAP_THRESHOLD_", -3, "MALLOC_TRIM_THRESHOLD_", -1);

    private static String applied;

    private NativeAllocator() {
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MALLOC_ARENA_MAX", "1");
        env.put("MALLOC_MMAP_THRESHOLD_", Integer.toString(128 << 20));
        env.put("MALLOC_TRIM_THRESHOLD_", Integer.toString(256 << 20));
        return Collections.unmodifiableMap(env);
    }

    /**
     * Applies the settings the environment did not give, once per JVM.
     *
     * @return how each setting was made, e.g. {@code MALLOC_ARENA_MAX=1 (environment)}
     */
    public static synchronized String tune() {
        if (applied != null) {
            return applied;
        }
        StringJoiner report = new StringJoiner(", ");
        boolean arenaFromEnvironment = System.getenv("MALLOC_ARENA_MAX") != null;
        for (Map.Entry<String, String> setting : ENVIRONMENT.entrySet()) {
            String name = setting.getKey();
            String given = System.getenv(name);
            if (given != null) {
                report.add(name + "=" + given + " (environment)");
            } else {
                report.add(name + "=" + setting.getValue() + (mallopt(name, setting.getValue()) ? " (mallopt)" : " (not set)"));
            }
        }
        if (!arenaFromEnvironment) {
            LOG.info("MALLOC_ARENA_MAX is not in this JVM's environment: training may run 10-15 % slower"
                    + " (submit/finegrained sets it; see docs/training.md)");
        }
        applied = report.toString();
        return applied;
    }

    private static boolean mallopt(String name, String value) {
        try {
            return CLibrary.INSTANCE.mallopt(MALLOPT.get(name), Integer.parseInt(value)) == 1;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false; // not glibc
        }
    }
}
