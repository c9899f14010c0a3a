package io.finegrained.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The page's style sheet and script, kept as files beside this class in the jar and inlined into every report. */
final class Resources {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Resources() {
    }

    static String text(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = Resources.class.getResourceAsStream(n)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks io/finegrained/report/" + n);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
