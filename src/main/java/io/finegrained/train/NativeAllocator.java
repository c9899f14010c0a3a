package io.finegrained.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** A setting: its environment variable, its value, its mallopt parameter (glibc's malloc.h). */
    private record Setting(String name, String value, int malloptParam) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("MALLOC_ARENA_MAX", "1", -8),
            new Setting("MALLOC_MMAP_THRESHOLD_", Integer.toString(128 << 20), -3),
            new Setting("MALLOC_TRIM_THRESHOLD_", Integer.toString(256 << 20), -1));

    /** The settings as environment variables (what the launchers and executors get). */
    public static final Map<String, String> ENVIRONMENT = environment();

    private static String applied;

    private NativeAllocator() {
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        SETTINGS.forEach(setting -> env.put(setting.name(), setting.value()));
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
        for (Setting setting : SETTINGS) {
            String given = System.getenv(setting.name());
            if (given != null) {
                report.add(setting.name() + "=" + given + " (environment)");
            } else {
                report.add(setting.name() + "=" + setting.value() + (mallopt(setting) ? " (mallopt)" : " (not set)"));
            }
        }
        if (System.getenv("MALLOC_ARENA_MAX") == null) {
            LOG.info("MALLOC_ARENA_MAX is not in this JVM's environment: training may run 10-15 % slower"
                    + " (submit/finegrained sets it; see docs/training.md)");
        }
        applied = report.toString();
        return applied;
    }

    private static boolean mallopt(Setting setting) {
        try {
            return CLibrary.INSTANCE.mallopt(setting.malloptParam(), Integer.parseInt(setting.value())) == 1;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false; // not glibc
        }
    }
}
