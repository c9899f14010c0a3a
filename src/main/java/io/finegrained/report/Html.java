package io.finegrained.report;

import io.finegrained.search.Objective;
import io.finegrained.search.TrialResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The report page: one self-contained HTML file (styles and the small script inline, the charts
 * as SVG), whose tables and charts read without JavaScript. The script only adds the objective-pair
 * selector, sorting by a column header, and writes what it found into the body's data attributes
 * ({@code data-drawn-points}, {@code data-drawn-front}, {@code data-drawn-rows}, {@code data-js}) for
 * the browser check.
 */
final class Html {
    /** The trial table shows at most this many rows; the journal holds them all. */
    static final int MAX_ROWS = 500;
    /** Marks a file as written by this tool: only such a file is ever replaced. */
    static final String GENERATOR = "<meta name=\"generator\" content=\"finegrained report\">";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** What the page says where a chart needs times an older journal does not have. */
    static final String NO_TIMES = "<p class=\"note\">The journal's rows carry no <code>started</code>/<code>finished</code>"
            + " times (a run of an older version): no chart against time.</p>\n";

    private Html() {
    }

    static String page(RunData run, Instant now) {
        List<Trial> trials = run.trials();
        long ok = trials.stream().filter(t -> t.result().isOk()).count();
        long failed = trials.size() - ok;
        List<Trial> rows = tableRows(run);
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n").append(GENERATOR).append('\n')
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Svg.escape(run.name())).append(" · finegrained report</title>\n")
                .append("<style>\n").append(Resources.text("report.css")).append("</style>\n</head>\n");
        out.append("<body data-trials=\"").append(trials.size()).append("\" data-ok=\"").append(ok).append("\" data-scored=\"")
                .append(run.scored().size()).append("\" data-front=\"").append(run.front().size()).append("\" data-rows=\"")
                .append(rows.size()).append("\" data-js=\"off\">\n");
        out.append("<header><h1>").append(Svg.escape(run.name())).append("</h1>\n<p>")
                .append(trials.size()).append(" trials: ").append(ok).append(" OK, ").append(failed).append(" failed")
                .append(" · objectives: ").append(Svg.escape(objectives(run.objectives())))
                .append(" · ").append(run.objectives().size() == 1 ? "best" : "front").append(": ").append(run.front().size())
                .append(" trials").append(run.frontFile() == null ? "" : " (the run's final one is in " + run.frontFile() + ")")
                .append(" · written ").append(TIME.format(now)).append(" from <code>trials.jsonl</code></p>\n");
        for (String note : run.notes()) {
            out.append("<p class=\"note\">").append(Svg.escape(note)).append("</p>\n");
        }
        out.append("</header>\n");

        out.append("<section id=\"scatter\"><h2>").append(run.objectives().size() == 1 ? "Trials" : "Objectives").append("</h2>\n");
        int k = run.objectives().size();
        if (k == 0) {
            out.append("<p class=\"note\">No objective is known: nothing to plot.</p>\n");
        } else if (k <= 2) {
            out.append("<figure class=\"pair\" data-pair=\"0-1\">").append(Charts.scatter(run, 0, 1)).append("</figure>\n");
        } else {
            out.append("<p class=\"pairs\"><label>objectives <select id=\"pair\">");
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    out.append("<option value=\"").append(i).append('-').append(j).append("\">")
                            .append(Svg.escape(run.objectives().get(i).metric() + " × " + run.objectives().get(j).metric())).append("</option>");
                }
            }
            out.append("</select></label></p>\n");
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    out.append("<figure class=\"pair\" data-pair=\"").append(i).append('-').append(j).append("\"><figcaption>")
                            .append(Svg.escape(run.objectives().get(i).metric() + " × " + run.objectives().get(j).metric()))
                            .append("</figcaption>").append(Charts.scatter(run, i, j)).append("</figure>\n");
                }
            }
        }
        out.append("<p class=\"legend\"><span class=\"dot front\"></span> on the ").append(k == 1 ? "best" : "front")
                .append(" <span class=\"dot\"></span> other OK trials · hover a point for its values</p>\n</section>\n");

        boolean timed = trials.stream().anyMatch(Trial::hasTimes);
        out.append("<section id=\"progress\"><h2>Best so far</h2>\n<div class=\"grid\">\n");
        for (int i = 0; i < k; i++) {
            out.append("<figure>").append(Charts.bestSoFar(run, i, false)).append("</figure>\n");
            if (timed) {
                out.append("<figure>").append(Charts.bestSoFar(run, i, true)).append("</figure>\n");
            }
        }
        out.append("</div>\n");
        if (!timed) {
            out.append(NO_TIMES);
        }
        out.append("</section>\n");

        out.append("<section id=\"timeline\"><h2>Trials per executor slot</h2>\n").append(Charts.timeline(run));
        if (timed) {
            out.append("<p class=\"legend\"><span class=\"box ok\"></span> OK <span class=\"box failed\"></span> failed")
                    .append(" <span class=\"box stopped\"></span> stopped early · hover a bar for the trial</p>\n");
        }
        out.append("</section>\n");

        out.append("<section id=\"trials\"><h2>Trials</h2>\n");
        if (rows.size() < trials.size()) {
            out.append("<p class=\"note\">").append(rows.size()).append(" of ").append(trials.size())
                    .append(" trials shown (the front first, then the latest); all of them are in <code>trials.jsonl</code>.</p>\n");
        }
        table(out, run, rows);
        out.append("</section>\n");

        out.append("<section id=\"network\"><h2>Best network</h2>\n");
        if (run.bestNetwork() != null) {
            out.append("<p>Trial #").append(run.best()).append(k > 1 ? ", the front's best " + Svg.escape(run.objectives().get(0).metric()) : "")
                    .append(", as <code>finegrained explain</code> prints it:</p>\n<pre class=\"modules\">")
                    .append(Svg.escape(run.bestNetwork())).append("</pre>\n");
        } else {
            out.append("<p class=\"note\">").append(run.best() == null ? "No trial is scored yet."
                    : "No network to show: the space has no modules (a plain hyper-parameter search), or see the notes above.").append("</p>\n");
        }
        out.append("</section>\n<script>\n").append(Resources.text("report.js")).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    /** The rows the table shows: all of them up to the cap; past it the front first, then the latest. */
    static List<Trial> tableRows(RunData run) {
        List<Trial> all = run.trials();
        if (all.size() <= MAX_ROWS) {
            return all;
        }
        Set<Trial> chosen = new LinkedHashSet<>();
        for (Trial t : all) {
            if (run.front().contains(t.id()) && chosen.size() < MAX_ROWS) {
                chosen.add(t);
            }
        }
        for (int n = all.size() - 1; n >= 0 && chosen.size() < MAX_ROWS; n--) {
            chosen.add(all.get(n));
        }
        List<Trial> out = new ArrayList<>(chosen);
        out.sort(Comparator.comparingInt(Trial::id));
        return out;
    }

    private static void table(StringBuilder out, RunData run, List<Trial> rows) {
        Set<String> metrics = new LinkedHashSet<>();
        run.objectives().forEach(o -> metrics.add(o.metric()));
        Set<String> parameters = new LinkedHashSet<>();
        boolean times = false;
        boolean executors = false;
        for (Trial t : rows) {
            metrics.addAll(t.result().metrics().keySet());
            parameters.addAll(t.result().hyperparameters().keySet());
            times |= t.started() != null;
            executors |= t.executor() != null;
        }
        out.append("<table class=\"trials\" data-rows=\"").append(rows.size()).append("\">\n<thead><tr>");
        List<String> header = new ArrayList<>(List.of("id", "generation", "status"));
        header.addAll(metrics);
        header.addAll(parameters);
        header.add("seconds");
        if (times) {
            header.add("started");
        }
        if (executors) {
            header.add("executor");
        }
        header.add("error");
        for (String h : header) {
            out.append("<th>").append(Svg.escape(h)).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (Trial t : rows) {
            TrialResult r = t.result();
            boolean front = run.front().contains(t.id());
            out.append("<tr class=\"").append(r.status().name().toLowerCase(Locale.ROOT)).append(front ? " front" : "")
                    .append("\" data-id=\"").append(t.id()).append("\">");
            number(out, t.id(), Integer.toString(t.id()) + (front ? " ★" : ""));
            number(out, r.generation(), Integer.toString(r.generation()));
            cell(out, r.status().name());
            for (String m : metrics) {
                Double v = r.metrics().get(m);
                if (v == null) {
                    cell(out, "");
                } else {
                    number(out, v, value(v));
                }
            }
            for (String p : parameters) {
                Object v = r.hyperparameters().get(p);
                if (v instanceof Number n) {
                    number(out, n.doubleValue(), value(v));
                } else {
                    cell(out, v == null ? "" : value(v));
                }
            }
            number(out, r.seconds(), value(r.seconds()));
            if (times) {
                cell(out, t.started() == null ? "" : TIME.format(t.started()));
            }
            if (executors) {
                cell(out, t.executor() == null ? "" : t.executor());
            }
            out.append("<td class=\"error\">").append(r.error() == null ? "" : Svg.escape(r.error())).append("</td>");
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void cell(StringBuilder out, String text) {
        out.append("<td>").append(Svg.escape(text)).append("</td>");
    }

    private static void number(StringBuilder out, double sortKey, String text) {
        out.append("<td class=\"num\" data-v=\"").append(sortKey).append("\">").append(Svg.escape(text)).append("</td>");
    }

    /** A value as the tables and tooltips show it: numbers to 6 significant digits, a 0/1 code as bits. */
    static String value(Object v) {
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            if (d.isNaN() || d.isInfinite()) {
                return d.toString();
            }
            double a = Math.abs(d);
            java.math.BigDecimal rounded = new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros();
            return a >= 1e-4 && a < 1e15 ? rounded.toPlainString() : rounded.toString();
        }
        if (v instanceof List<?> list) {
            boolean bits = !list.isEmpty() && list.stream().allMatch(x -> x instanceof Number n && (n.intValue() == 0 || n.intValue() == 1));
            if (bits) {
                StringBuilder sb = new StringBuilder();
                list.forEach(x -> sb.append(((Number) x).intValue()));
                return sb.toString();
            }
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(value(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(v);
    }

    private static String objectives(List<Objective> objectives) {
        List<String> parts = new ArrayList<>();
        objectives.forEach(o -> parts.add(Charts.label(o)));
        return parts.isEmpty() ? "none known" : String.join(", ", parts);
    }
}
