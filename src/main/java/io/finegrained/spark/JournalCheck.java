package io.finegrained.spark;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import io.finegrained.search.Gene;
import io.finegrained.search.Genome;
import io.finegrained.search.TrialResult;
import io.finegrained.space.Domain;
import io.finegrained.space.ParameterSpace;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.TrainerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The journal checked when a {@code --resume} starts, before any trial runs and before anything
 * in the run directory is written: a row that cannot be this run's is refused there, naming
 * {@code trials.jsonl:LINE} and why, instead of being replayed wrongly or found only when the
 * search reaches that trial (or at its end).
 *
 * <p>Refused ({@link RunRefusedException}, the CLI's exit 2):
 * <ul>
 *   <li><b>damaged</b>: a complete line (one ending in a newline) that is not UTF-8 or not a
 *       journal row. Only the torn last line (no newline: a {@code kill -9} during the write)
 *       is not a row; {@link Journal#openForAppend} cuts it once the check passes.</li>
 *   <li><b>conflicting</b>: a second row for a trial id that differs from the first in any
 *       field. The same row twice (equal in every field) is tolerated and kept once: appending a
 *       row again changes nothing the run knows, and the drivers keep one row per id anyway.</li>
 *   <li><b>foreign</b>: a row this run's configuration could not have written. The searched
 *       parameters are fixed: a value for a parameter the search does not have, no value for one
 *       it has, or a value outside its domain (the domain's own check, as when the searcher's
 *       values are read). They are the searcher's genes when it names them
 *       ({@link io.finegrained.search.Searcher#genome()}: PruneEA and QuantEA open parameters of
 *       their own, the Prune's {@code chn_mask}, the Quant's bit lists), else the space's. The drivers fix the ids: a trial id and a generation (the batch of an
 *       asynchronous run) are at least 0, a generation is at most its id (ids count from 0 in
 *       proposal order and every generation holds at least one trial), and generations do not
 *       go down as ids go up.</li>
 * </ul>
 * What the algorithm proposes is not checked here (that needs the search itself): a row of the
 * same space with other values is refused by the replay when its id comes up, and ids the
 * algorithm never asks for at the end, as before.
 */
public final class JournalCheck {
    private JournalCheck() {
    }

    /** A row as read, with where it was. */
    private record Row(int line, TrialResult result) {
    }

    /**
     * The journal's rows for a resume of {@code config}, each trial once and in file order, or
     * {@link RunRefusedException} naming the first line that cannot be this run's. Reads only.
     * An absent file reads as empty.
     */
    public static List<TrialResult> read(Path file, JobConfig config) {
        return read(file, parameters(config, null));
    }

    /** {@link #read(Path, JobConfig)} against a given space; null checks no values. */
    public static List<TrialResult> read(Path file, ParameterSpace space) {
        return read(file, space == null ? null : parameters(space));
    }

    private static List<TrialResult> read(Path file, Map<String, UnaryOperator<Object>> parameters) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return check(file.toString(), Files.readAllBytes(file), parameters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #read(Path, JobConfig)} of the journal in a run directory's store (local or remote).
     *
     * @param searched the searcher's genes when it names them, else null (the space's parameters)
     */
    static List<TrialResult> read(RunStore store, String relative, JobConfig config, Genome searched) {
        try {
            if (!store.exists(relative)) {
                return List.of();
            }
            return check(store.describe(relative), store.read(relative), parameters(config, searched));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + store.describe(relative) + ": " + e.getMessage(), e);
        }
    }

    private static List<TrialResult> check(String file, byte[] bytes, Map<String, UnaryOperator<Object>> parameters) {
        List<Row> rows = new ArrayList<>();
        Map<Integer, Row> byId = new HashMap<>();
        int lineNumber = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = indexOf(bytes, (byte) '\n', start);
            if (end < 0) {
                break; // the torn last line: that trial never counted as done
            }
            lineNumber++;
            String line = decode(file, lineNumber, bytes, start, end);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            TrialResult result;
            try {
                result = io.finegrained.trial.TrialJson.parseRow(line);
            } catch (IllegalArgumentException e) {
                throw refuse(file, lineNumber, "not a journal row (" + e.getMessage() + ")");
            }
            Row row = new Row(lineNumber, result);
            checkIds(file, row);
            if (parameters != null) {
                checkValues(file, row, parameters);
            }
            Row first = byId.putIfAbsent(result.id(), row);
            if (first == null) {
                rows.add(row);
            } else if (!first.result().equals(result)) {
                throw refuse(file, lineNumber, "a second row for trial " + result.id() + ", different from the one at line "
                        + first.line() + " (" + differences(first.result(), result) + "); a trial has one verdict");
            }
        }
        checkGenerationOrder(file, rows);
        return rows.stream().map(Row::result).toList();
    }

    /**
     * The searched parameters, each with its domain's canonical form (which throws
     * IllegalArgumentException outside the domain): the searcher's genes when given, else the
     * config's search space's, or null when the space cannot be built here.
     */
    private static Map<String, UnaryOperator<Object>> parameters(JobConfig config, Genome searched) {
        if (searched != null) {
            Map<String, UnaryOperator<Object>> byName = new LinkedHashMap<>();
            for (Gene gene : searched.genes()) {
                byName.put(gene.key(), gene::canonical);
            }
            return byName;
        }
        try {
            return parameters(SearchSpace.parse(config.section("search_space"), TrainerConfig.KEYS).parameters());
        } catch (ConfigException e) {
            // The job could not have been built from this config either: whoever built it used
            // another registry of modules. The values are then left to the replay.
            return null;
        }
    }

    private static Map<String, UnaryOperator<Object>> parameters(ParameterSpace space) {
        Map<String, UnaryOperator<Object>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Domain> e : space.domains().entrySet()) {
            byName.put(e.getKey(), e.getValue()::canonical);
        }
        return byName;
    }

    private static void checkIds(String file, Row row) {
        TrialResult r = row.result();
        if (r.id() < 0) {
            throw refuse(file, row.line(), "trial id " + r.id() + " is negative; ids count from 0");
        }
        if (r.generation() < 0) {
            throw refuse(file, row.line(), "trial " + r.id() + " has the generation " + r.generation() + "; generations count from 0");
        }
        if (r.generation() > r.id()) {
            throw refuse(file, row.line(), "trial " + r.id() + " is in generation " + r.generation()
                    + ", past its id: ids count from 0 and every generation holds at least one trial");
        }
    }

    private static void checkValues(String file, Row row, Map<String, UnaryOperator<Object>> parameters) {
        TrialResult r = row.result();
        Map<String, Object> values = r.hyperparameters();
        for (String name : values.keySet()) {
            if (!parameters.containsKey(name)) {
                throw refuse(file, row.line(), "trial " + r.id() + " has a value for '" + name
                        + "', which is not a parameter of this run's search space (" + String.join(", ", parameters.keySet()) + ")");
            }
        }
        for (Map.Entry<String, UnaryOperator<Object>> e : parameters.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw refuse(file, row.line(), "trial " + r.id() + " has no value for '" + e.getKey()
                        + "', a parameter of this run's search space");
            }
            try {
                e.getValue().apply(values.get(e.getKey()));
            } catch (IllegalArgumentException ex) {
                throw refuse(file, row.line(), "trial " + r.id() + "'s value for '" + e.getKey()
                        + "' is not in this run's search space: " + ex.getMessage());
            }
        }
    }

    /** Generations never go down as ids go up (both drivers number trials in proposal order). */
    private static void checkGenerationOrder(String file, List<Row> rows) {
        List<Row> byId = new ArrayList<>(rows);
        byId.sort(Comparator.comparingInt(r -> r.result().id()));
        for (int i = 1; i < byId.size(); i++) {
            Row before = byId.get(i - 1);
            Row after = byId.get(i);
            if (before.result().generation() > after.result().generation()) {
                // Name the later line of the two: the earlier one is what the run had first.
                Row named = before.line() > after.line() ? before : after;
                Row other = named == before ? after : before;
                throw refuse(file, named.line(), "trial " + named.result().id() + " is in generation " + named.result().generation()
                        + " and trial " + other.result().id() + " (line " + other.line() + ") in generation " + other.result().generation()
                        + ": generations follow the order of the trial ids");
            }
        }
    }

    /** The fields in which two rows of one trial differ, by name. */
    private static String differences(TrialResult a, TrialResult b) {
        List<String> fields = new ArrayList<>();
        if (a.generation() != b.generation()) {
            fields.add("generation " + a.generation() + " there, " + b.generation() + " here");
        }
        if (a.status() != b.status()) {
            fields.add("status " + a.status() + " there, " + b.status() + " here");
        }
        if (!Values.same(a.hyperparameters(), b.hyperparameters())) {
            fields.add("hyperparameters");
        }
        if (!Values.same(a.metrics(), b.metrics())) {
            fields.add("metrics");
        }
        if (!Objects.equals(a.error(), b.error())) {
            fields.add("error");
        }
        if (a.seconds() != b.seconds() || a.resource() != b.resource() || !Objects.equals(a.started(), b.started())
                || !Objects.equals(a.finished(), b.finished()) || !Objects.equals(a.executor(), b.executor())) {
            fields.add("where or when it ran");
        }
        return fields.isEmpty() ? "the values' forms" : "they differ in " + String.join(", ", fields);
    }

    private static String decode(String file, int lineNumber, byte[] bytes, int start, int end) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
        try {
            CharBuffer out = decoder.decode(in);
            return out.toString();
        } catch (CharacterCodingException e) {
            // Find the first byte that does not decode, to name it.
            int bad = start;
            CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer rest = ByteBuffer.wrap(bytes, start, end - start);
            CharBuffer sink = CharBuffer.allocate(end - start + 1);
            if (probe.decode(rest, sink, true).isError()) {
                bad = rest.position();
            }
            throw refuse(file, lineNumber, String.format("not a journal row (byte 0x%02X at column %d is not UTF-8 text)",
                    bytes[bad] & 0xff, bad - start + 1));
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static RunRefusedException refuse(String file, int line, String why) {
        return new RunRefusedException("cannot resume: " + file + ":" + line + ": " + why
                + ". The journal was edited, damaged or written by another run; nothing was changed. Repair or remove that line"
                + " (a trial without a row runs again), or start a new run in another directory with --output");
    }
}
