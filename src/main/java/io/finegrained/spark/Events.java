package io.finegrained.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's events file, {@code events.jsonl}: what happened to trials between their proposal and
 * their verdict (which goes to the journal), one JSON row per event, in the order it happened.
 * Durable like the journal ({@link DurableLines}): each row is durable before the event counts, and a torn last
 * line (a {@code kill -9} mid-write) is cut off on open. {@code --resume} reads it with the
 * journal: rung results it holds are not trained again.
 *
 * <p>Row: {@code {"seq": 7, "time": "2026-12-01T22:40:01.250Z", "event": "rung", "id": 3,
 * "resource": 1, "to": null, "metrics": {"f1": 0.2}, "detail": null}}; which fields mean something
 * depends on the {@link Type}. Thread safety: {@link #append} is synchronized.
 */
public final class Events implements Closeable {
    public static final String FILE_NAME = "events.jsonl";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What happened. */
    public enum Type {
        /** A segment was submitted: trial {@code id} trains from {@code resource} to {@code to} (0 = its full budget). */
        STARTED,
        /** A segment ended: the trial reached {@code resource} with these {@code metrics}. */
        RUNG,
        /** The searcher let it train on from {@code resource} to {@code to}. */
        CONTINUED,
        /** The searcher stopped it at {@code resource}. */
        STOPPED,
        /** Its state at {@code resource} was saved; {@code detail} says where and how big. */
        CHECKPOINT,
        /** A running segment was cancelled (the run stopped); it continues from {@code resource}. */
        INTERRUPTED,
        /** Not the trial's fault (a lost executor, an I/O error): it runs again from {@code resource}; {@code detail} says why. */
        ENVIRONMENT_FAILURE
    }

    /**
     * One row.
     *
     * @param seq 0, 1, ... in file order
     * @param resource the resource the event is at (see {@link Type})
     * @param to the target of a STARTED or CONTINUED event (0 = the full budget), else 0
     * @param metrics a RUNG's metrics, else empty
     * @param detail a note (where a checkpoint is, why a segment failed), or null
     */
    public record Event(long seq, Instant time, Type type, int id, int resource, int to, Map<String, Double> metrics,
                        String detail) {
        public Event {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    private final DurableLines lines;
    private long next;

    private Events(DurableLines lines, long next) {
        this.lines = lines;
        this.next = next;
    }

    /** Opens a local file (creating it if needed) for appending, after cutting a torn last line; numbering continues. */
    public static Events openForAppend(Path file) throws IOException {
        DurableLines lines = DurableLines.open(file, "the events file");
        return new Events(lines, read(file).size());
    }

    /** Opens a run directory's events file; see {@link RunStore#openLines} for {@code resume}. */
    static Events openForAppend(RunStore store, boolean resume, java.io.PrintStream notes) throws IOException {
        DurableLines lines = DurableLines.open(store, FILE_NAME, "the events file", resume, notes);
        return new Events(lines, read(store).size());
    }

    /** The file, for messages: a local path or a URI. */
    public String file() {
        return lines.file();
    }

    /** Writes the event and forces it to disk; returns it as written. */
    public synchronized Event append(Type type, int id, int resource, int to, Map<String, Double> metrics, String detail) {
        Event event = new Event(next, Instant.now(), type, id, resource, to, metrics, detail);
        lines.append(json(event));
        next++;
        return event;
    }

    /** {@link #append} without metrics. */
    public Event append(Type type, int id, int resource, int to, String detail) {
        return append(type, id, resource, to, Map.of(), detail);
    }

    @Override
    public synchronized void close() throws IOException {
        lines.close();
    }

    /** Every complete row, in file order; an absent file reads as empty, a torn last line is left out. */
    public static List<Event> read(Path file) {
        return read(RunStore.local(file.getParent() == null ? Path.of("") : file.getParent()), file.getFileName().toString());
    }

    /** The events of a run directory's store. */
    static List<Event> read(RunStore store) {
        return read(store, FILE_NAME);
    }

    private static List<Event> read(RunStore store, String relative) {
        String file = store.describe(relative);
        List<String> lines;
        try {
            if (!store.exists(relative)) {
                return List.of();
            }
            String text = new String(store.read(relative), StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            lines = end < 0 ? List.of() : text.substring(0, end).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the events file " + file + ": " + e.getMessage(), e);
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                events.add(parse(lines.get(i)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(file + " line " + (i + 1) + ": " + e.getMessage()
                        + " (the events file was edited or damaged)");
            }
        }
        return events;
    }

    static String json(Event e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("seq", e.seq());
        node.put("time", e.time().toString());
        node.put("event", e.type().name().toLowerCase(java.util.Locale.ROOT));
        node.put("id", e.id());
        node.put("resource", e.resource());
        if (e.to() > 0) {
            node.put("to", e.to());
        } else {
            node.putNull("to");
        }
        ObjectNode metrics = node.putObject("metrics");
        e.metrics().forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                metrics.put(k, v);
            }
        });
        if (e.detail() == null) {
            node.putNull("detail");
        } else {
            node.put("detail", e.detail());
        }
        return node.toString();
    }

    static Event parse(String line) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        Map<String, Double> metrics = new LinkedHashMap<>();
        node.get("metrics").fields().forEachRemaining(f -> metrics.put(f.getKey(), f.getValue().asDouble()));
        JsonNode to = node.get("to");
        JsonNode detail = node.get("detail");
        return new Event(node.get("seq").asLong(), Instant.parse(node.get("time").asText()),
                Type.valueOf(node.get("event").asText().toUpperCase(java.util.Locale.ROOT)), node.get("id").asInt(),
                node.get("resource").asInt(), to == null || to.isNull() ? 0 : to.asInt(), metrics,
                detail == null || detail.isNull() ? null : detail.asText());
    }
}
