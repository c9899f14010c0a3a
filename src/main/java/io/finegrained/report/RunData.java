package io.finegrained.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.finegrained.config.JobConfig;
import io.finegrained.space.NetworkAnalyzer;
import io.finegrained.space.NetworkSummary;
import io.finegrained.search.Algorithms;
import io.finegrained.search.Objective;
import io.finegrained.search.Objectives;
import io.finegrained.search.TrialResult;
import io.finegrained.spark.Front;
import io.finegrained.spark.Journal;
import io.finegrained.spark.RunDirectory;
import io.finegrained.space.SearchSpace;
import io.finegrained.train.DatasetConfig;
import io.finegrained.train.TrainerConfig;
import io.finegrained.trial.TrialJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a report shows, read from a run directory: the journal (every complete row, in file
 * order, the optional {@code started}/{@code finished}/{@code executor} fields included), the
 * objectives of {@code config.yml}, the front (recomputed from the journal with the rule of the
 * run's own {@code pareto.csv}, so a report written mid-run shows the front so far), and the best
 * network's module table. A part that cannot be had leaves a note instead of failing the report.
 */
record RunData(String name, Path directory, List<Trial> trials, List<Objective> objectives, Set<Integer> front,
               Integer best, String bestNetwork, List<String> notes, String frontFile) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    RunData {
        trials = List.copyOf(trials);
        objectives = List.copyOf(objectives);
        front = Set.copyOf(front);
        notes = List.copyOf(notes);
    }

    /** Reads the run; {@link IllegalArgumentException} when the folder holds no journal. */
    static RunData read(Path runDir) {
        Path journal = runDir.resolve(Journal.FILE_NAME);
        if (!Files.isRegularFile(journal)) {
            throw new IllegalArgumentException(runDir + " is not a run directory of finegrained (no " + Journal.FILE_NAME + ")");
        }
        List<String> notes = new ArrayList<>();
        List<Trial> trials = readJournal(journal);
        JobConfig job = null;
        Path configFile = runDir.resolve(RunDirectory.CONFIG_FILE);
        if (Files.isRegularFile(configFile)) {
            try {
                job = JobConfig.load(configFile);
            } catch (RuntimeException e) {
                notes.add("config.yml could not be read (" + e.getMessage() + ")");
            }
        } else {
            notes.add("the run directory has no config.yml");
        }
        List<Objective> objectives = objectives(job, trials, notes);
        List<TrialResult> results = trials.stream().map(Trial::result).toList();
        List<TrialResult> frontRows = objectives.isEmpty() ? List.of() : Front.of(results, objectives);
        Set<Integer> front = new HashSet<>();
        frontRows.forEach(r -> front.add(r.id()));
        Integer best = frontRows.isEmpty() ? null : frontRows.get(0).id();
        String network = null;
        if (best != null && job != null) {
            network = network(job, frontRows.get(0), notes);
        }
        String frontFile = null;
        for (String f : List.of("pareto.csv", "best.csv")) {
            if (Files.isRegularFile(runDir.resolve(f))) {
                frontFile = f;
            }
        }
        Path name = runDir.toAbsolutePath().normalize().getFileName();
        return new RunData(name == null ? runDir.toString() : name.toString(), runDir, trials, objectives, front, best,
                network, notes, frontFile);
    }

    /** Every complete row, with the journal's own rules (a torn last line is left out). */
    private static List<Trial> readJournal(Path journal) {
        return Journal.read(journal, line -> {
            try {
                JsonNode node = MAPPER.readTree(line);
                return new Trial(TrialJson.parseRow(line), instant(node.get("started")), instant(node.get("finished")),
                        text(node.get("executor")));
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    private static Instant instant(JsonNode node) {
        String s = text(node);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    /**
     * The run's objectives as the job reads them; when the configuration cannot give them (an
     * algorithm this version does not know), the numeric metrics of the first OK trial, minimised,
     * with a note saying so.
     */
    private static List<Objective> objectives(JobConfig job, List<Trial> trials, List<String> notes) {
        if (job != null) {
            try {
                return Objectives.from(job.section("objectives"), Algorithms.standard().select(job.section("search_algorithm")));
            } catch (RuntimeException e) {
                notes.add("the objectives of config.yml could not be read (" + e.getMessage() + "): the metrics are shown as if minimised");
            }
        }
        for (Trial t : trials) {
            if (t.result().isOk() && !t.result().metrics().isEmpty()) {
                List<Objective> out = new ArrayList<>();
                for (String metric : t.result().metrics().keySet()) {
                    if (out.size() < 2) {
                        out.add(new Objective(metric, Objective.Direction.MIN));
                    }
                }
                return out;
            }
        }
        return List.of();
    }

    /** The best trial's network as explain prints it, or null (with a note) when there is none to show. */
    private static String network(JobConfig job, TrialResult best, List<String> notes) {
        try {
            SearchSpace space = SearchSpace.parse(job.section("search_space"), TrainerConfig.KEYS);
            if (!space.hasModules()) {
                return null;
            }
            long[] shape = DatasetConfig.from(job.section("dataset"), job.directory()).inputShape();
            NetworkSummary summary = NetworkAnalyzer.analyze(space.resolve(best.hyperparameters()), shape);
            return ModuleTable.text(summary, 0);
        } catch (RuntimeException e) {
            notes.add("the best network could not be analysed (" + e.getMessage() + ")");
            return null;
        }
    }

    /** The OK trials that have every objective, in journal order. */
    List<Trial> scored() {
        List<Trial> out = new ArrayList<>();
        for (Trial t : trials) {
            if (value(t, 0) != null && (objectives.size() < 2 || value(t, 1) != null) && allObjectives(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private boolean allObjectives(Trial t) {
        for (int k = 0; k < objectives.size(); k++) {
            if (value(t, k) == null) {
                return false;
            }
        }
        return true;
    }

    /** Objective k of an OK trial, or null when not OK or not a finite number. */
    Double value(Trial t, int k) {
        if (!t.result().isOk() || k >= objectives.size()) {
            return null;
        }
        Double v = t.result().metrics().get(objectives.get(k).metric());
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    /** The trials by id. */
    Map<Integer, Trial> byId() {
        Map<Integer, Trial> out = new LinkedHashMap<>();
        trials.forEach(t -> out.putIfAbsent(t.id(), t));
        return out;
    }
}
