package io.finegrained.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of candidates and results: the command trial's stdin and the journal's rows
 * ({@code trials.jsonl}, ARCHITECTURE.md's run-output contract). Fields are written in the
 * contract's order and every row has every field; a whole-number metric (params, MACs) is
 * written as an integer.
 */
public final class TrialJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** For metrics lines: Python's json.dumps writes NaN and Infinity, and they must be seen as what they are. */
    private static final ObjectMapper METRICS = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TrialJson() {
    }

    /** {@code {"id": .., "generation": .., "hyperparameters": {..}}}: what a command trial reads. */
    public static String candidate(Candidate candidate) {
        ObjectNode node = NODES.objectNode();
        node.put("id", candidate.id());
        node.put("generation", candidate.generation());
        node.set("hyperparameters", values(candidate.hyperparameters()));
        return write(node);
    }

    /** One journal row, on one line. */
    public static String row(TrialResult result) {
        ObjectNode node = NODES.objectNode();
        node.put("id", result.id());
        node.put("generation", result.generation());
        node.put("status", result.status().name());
        node.set("hyperparameters", values(result.hyperparameters()));
        ObjectNode metrics = node.putObject("metrics");
        result.metrics().forEach((name, value) -> metrics.set(name, number(value)));
        if (result.error() == null) {
            node.putNull("error");
        } else {
            node.put("error", result.error());
        }
        node.put("seconds", Math.round(result.seconds() * 1000) / 1000.0);
        // Where and when it ran: written on every row (null when unknown) so that every row
        // has every field, as the contract asks.
        if (result.resource() > 0) {
            node.put("resource", result.resource());
        } else {
            node.putNull("resource");
        }
        putText(node, "started", result.started() == null ? null : result.started().toString());
        putText(node, "finished", result.finished() == null ? null : result.finished().toString());
        putText(node, "executor", result.executor());
        return write(node);
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /**
     * Reads a journal row; {@link IllegalArgumentException} says what is wrong with it.
     * Hyper-parameter values come back as plain JSON values ({@code Long}, {@code Double},
     * {@code String}, {@code Boolean}, lists of them; a list of small integers as {@code Integer}s,
     * the form of a binary code).
     */
    public static TrialResult parseRow(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (String field : List.of("id", "generation", "status", "hyperparameters", "metrics", "error", "seconds")) {
            if (!node.has(field)) {
                throw new IllegalArgumentException("no field '" + field + "'");
            }
        }
        TrialStatus status;
        try {
            status = TrialStatus.valueOf(node.get("status").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status '" + node.get("status").asText() + "'");
        }
        if (!node.get("id").canConvertToInt() || !node.get("generation").canConvertToInt()) {
            throw new IllegalArgumentException("id and generation must be integers");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        node.get("hyperparameters").fields().forEachRemaining(e -> values.put(e.getKey(), plain(e.getValue(), false)));
        Map<String, Double> metrics = numericMetrics(node.get("metrics"));
        String error = node.get("error").isNull() ? null : node.get("error").asText();
        // Older journals lack where and when a trial ran: those fields are optional.
        JsonNode resource = node.get("resource");
        if (resource != null && !resource.isNull() && !(resource.canConvertToInt() && resource.asInt() >= 0)) {
            throw new IllegalArgumentException("resource must be an integer >= 0");
        }
        return new TrialResult(node.get("id").asInt(), node.get("generation").asInt(), status, values, metrics, error,
                node.get("seconds").asDouble(), resource == null || resource.isNull() ? 0 : resource.asInt(),
                instant(node, "started"), instant(node, "finished"), text(node, "executor"));
    }

    private static java.time.Instant instant(JsonNode row, String field) {
        String text = text(row, field);
        if (text == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an ISO-8601 UTC time: '" + text + "'");
        }
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * The metrics in a line a command trial printed, or null when the line is not a JSON object.
     * Numeric values are kept (as doubles; {@code NaN}, {@code Infinity} and {@code -Infinity}
     * included, so a diverged training is reported as such); other values (text, booleans,
     * nested objects) are not metrics and are left out.
     */
    public static Map<String, Double> metricsLine(String line) {
        String text = line.strip();
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = METRICS.readTree(text);
            return node != null && node.isObject() ? numericMetrics(node) : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Map<String, Double> numericMetrics(JsonNode node) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isNumber()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        }
        return metrics;
    }

    private static ObjectNode values(Map<String, Object> values) {
        ObjectNode node = NODES.objectNode();
        values.forEach((key, value) -> node.set(key, MAPPER.valueToTree(value)));
        return node;
    }

    private static JsonNode number(Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return NODES.nullNode(); // JSON has no NaN; the driver keeps such values out of OK rows
        }
        double v = value;
        if (v == Math.rint(v) && Math.abs(v) < 9.0e15) {
            return NODES.numberNode((long) v);
        }
        return NODES.numberNode(v);
    }

    private static Object plain(JsonNode node, boolean inList) {
        if (node.isIntegralNumber()) {
            long v = node.asLong();
            return inList && v == (int) v ? (Object) (int) v : (Object) v;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            for (JsonNode item : (ArrayNode) node) {
                items.add(plain(item, true));
            }
            return items;
        }
        if (node.isNull()) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue(), false)));
        return map;
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
