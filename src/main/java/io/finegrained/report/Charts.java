package io.finegrained.report;

import io.finegrained.search.Objective;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's charts as SVG: the scatter of the scored trials over two objectives with the
 * front, best-so-far against trials and against time, and the timeline of trials per executor
 * slot. Each chart's root carries its counts in data attributes ({@code data-points},
 * {@code data-front}, {@code data-bars}) that tests and the browser check compare with the journal.
 */
final class Charts {
    private Charts() {
    }

    /** Objective i (x) against objective j (y); with one objective, that objective against the trial id. */
    static String scatter(RunData run, int i, int j) {
        List<Trial> scored = run.scored();
        boolean single = run.objectives().size() == 1;
        StringBuilder out = new StringBuilder();
        if (scored.isEmpty()) {
            return "<p class=\"note\">No trial is scored yet: nothing to plot.</p>\n";
        }
        double[] xs = new double[scored.size()];
        double[] ys = new double[scored.size()];
        for (int n = 0; n < scored.size(); n++) {
            Trial t = scored.get(n);
            xs[n] = single ? t.id() : run.value(t, i);
            ys[n] = run.value(t, single ? 0 : j);
        }
        Svg.Scale x = Svg.xScale(min(xs), max(xs));
        Svg.Scale y = Svg.yScale(min(ys), max(ys));
        long frontCount = scored.stream().filter(t -> run.front().contains(t.id())).count();
        String xLabel = single ? "trial id" : label(run.objectives().get(i));
        String yLabel = label(run.objectives().get(single ? 0 : j));
        Svg.axes(out, "chart scatter", " data-points=\"" + scored.size() + "\" data-front=\"" + frontCount + "\"", x, y, xLabel, yLabel);
        List<double[]> frontPixels = new ArrayList<>();
        StringBuilder frontMarks = new StringBuilder();
        for (int n = 0; n < scored.size(); n++) {
            Trial t = scored.get(n);
            boolean front = run.front().contains(t.id());
            double px = x.at(xs[n]);
            double py = y.at(ys[n]);
            StringBuilder mark = front ? frontMarks : out; // front marks drawn last, on top
            mark.append("<circle class=\"pt").append(front ? " front" : "").append("\" data-id=\"").append(t.id())
                    .append("\" cx=\"").append(Svg.f(px)).append("\" cy=\"").append(Svg.f(py)).append("\" r=\"")
                    .append(front ? 5 : 3.5).append("\"><title>").append(Svg.escape(tooltip(run, t))).append("</title></circle>\n");
            if (front) {
                frontPixels.add(new double[] {px, py});
            }
        }
        if (!single && frontPixels.size() > 1) {
            frontPixels.sort(Comparator.comparingDouble(p -> p[0]));
            out.append("<polyline class=\"front-line\" points=\"");
            for (double[] p : frontPixels) {
                out.append(Svg.f(p[0])).append(',').append(Svg.f(p[1])).append(' ');
            }
            out.append("\"/>\n");
        }
        out.append(frontMarks).append("</svg>\n");
        return out.toString();
    }

    /**
     * The best value of objective k so far, against the trial count (journal order, failures
     * counted) or, with {@code byTime}, against the seconds since the first trial started.
     */
    static String bestSoFar(RunData run, int k, boolean byTime) {
        Objective objective = run.objectives().get(k);
        List<Trial> order = new ArrayList<>(run.trials());
        Instant t0 = null;
        if (byTime) {
            order.removeIf(t -> !t.hasTimes());
            if (order.isEmpty()) {
                return Html.NO_TIMES;
            }
            order.sort(Comparator.comparing(Trial::finished));
            t0 = order.stream().map(Trial::started).min(Comparator.naturalOrder()).orElseThrow();
        }
        List<double[]> steps = new ArrayList<>();
        Double best = null;
        for (int n = 0; n < order.size(); n++) {
            Trial t = order.get(n);
            Double v = run.value(t, k);
            double at = byTime ? seconds(t0, t.finished()) : n + 1;
            if (v != null && (best == null || objective.minimised(v) < objective.minimised(best))) {
                best = v;
                steps.add(new double[] {at, v});
            }
        }
        if (steps.isEmpty()) {
            return "<p class=\"note\">No trial is scored yet.</p>\n";
        }
        double xMax = byTime ? seconds(t0, order.get(order.size() - 1).finished()) : order.size();
        double[] ys = steps.stream().mapToDouble(p -> p[1]).toArray();
        Svg.Scale x = Svg.xScale(byTime ? 0 : 1, Math.max(xMax, byTime ? 1 : 2));
        Svg.Scale y = Svg.yScale(min(ys), max(ys));
        StringBuilder out = new StringBuilder();
        Svg.axes(out, "chart best", " data-steps=\"" + steps.size() + "\"", x, y, byTime ? "seconds since the first trial started" : "trials",
                "best " + label(objective));
        out.append("<polyline class=\"best-line\" points=\"");
        double[] last = null;
        for (double[] p : steps) {
            if (last != null) {
                out.append(Svg.f(x.at(p[0]))).append(',').append(Svg.f(y.at(last[1]))).append(' ');
            }
            out.append(Svg.f(x.at(p[0]))).append(',').append(Svg.f(y.at(p[1]))).append(' ');
            last = p;
        }
        out.append(Svg.f(x.at(xMax))).append(',').append(Svg.f(y.at(last[1]))).append("\"/>\n");
        for (double[] p : steps) {
            out.append("<circle class=\"step\" cx=\"").append(Svg.f(x.at(p[0]))).append("\" cy=\"").append(Svg.f(y.at(p[1])))
                    .append("\" r=\"3\"><title>").append(Svg.escape(Svg.number(p[1]) + (byTime ? " at " + Svg.number(p[0]) + " s" : " at trial " + (long) p[0])))
                    .append("</title></circle>\n");
        }
        return out.append("</svg>\n").toString();
    }

    /**
     * One lane per executor slot: each executor's trials packed into as few lanes as overlap
     * forces (a slot is a lane, since an executor runs as many trials side by side as it has
     * slots), bars coloured by status. Idle stretches and stragglers show as gaps and long bars.
     */
    static String timeline(RunData run) {
        List<Trial> timed = new ArrayList<>();
        for (Trial t : run.trials()) {
            if (t.hasTimes()) {
                timed.add(t);
            }
        }
        if (timed.isEmpty()) {
            return "<p class=\"note\">The journal's rows carry no <code>started</code>/<code>finished</code>/<code>executor</code>"
                    + " fields (a run of an older version): no timeline.</p>\n";
        }
        timed.sort(Comparator.comparing(Trial::started).thenComparingInt(Trial::id));
        Map<String, List<List<Trial>>> lanes = new TreeMap<>();
        for (Trial t : timed) {
            List<List<Trial>> own = lanes.computeIfAbsent(t.executor() == null ? "(unknown)" : t.executor(), e -> new ArrayList<>());
            List<Trial> free = null;
            for (List<Trial> lane : own) {
                if (!lane.get(lane.size() - 1).finished().isAfter(t.started())) {
                    free = lane;
                    break;
                }
            }
            if (free == null) {
                free = new ArrayList<>();
                own.add(free);
            }
            free.add(t);
        }
        Instant t0 = timed.get(0).started();
        Instant end = timed.stream().map(Trial::finished).max(Comparator.naturalOrder()).orElseThrow();
        List<String> laneNames = new ArrayList<>();
        List<List<Trial>> laneTrials = new ArrayList<>();
        lanes.forEach((executor, own) -> {
            for (int n = 0; n < own.size(); n++) {
                laneNames.add(executor + (own.size() > 1 ? " #" + (n + 1) : ""));
                laneTrials.add(own.get(n));
            }
        });
        int laneHeight = 22;
        int labelWidth = 170;
        int width = 900;
        int height = Svg.TOP + laneNames.size() * laneHeight + 40;
        Svg.Scale x = Svg.Scale.of(0, Math.max(seconds(t0, end), 1e-3), labelWidth, width - Svg.RIGHT);
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"chart timeline\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" role=\"img\" data-bars=\"").append(timed.size())
                .append("\" data-lanes=\"").append(laneNames.size()).append("\">\n");
        int bottom = Svg.TOP + laneNames.size() * laneHeight;
        for (double t : x.ticks(8)) {
            if (t < 0) {
                continue;
            }
            out.append("<line class=\"grid\" x1=\"").append(Svg.f(x.at(t))).append("\" x2=\"").append(Svg.f(x.at(t))).append("\" y1=\"")
                    .append(Svg.TOP).append("\" y2=\"").append(bottom).append("\"/><text class=\"tick\" x=\"").append(Svg.f(x.at(t)))
                    .append("\" y=\"").append(bottom + 15).append("\" text-anchor=\"middle\">").append(Svg.number(t)).append("</text>\n");
        }
        out.append("<text class=\"label\" x=\"").append((labelWidth + width) / 2).append("\" y=\"").append(bottom + 33)
                .append("\" text-anchor=\"middle\">seconds since the first trial started</text>\n");
        for (int lane = 0; lane < laneNames.size(); lane++) {
            int top = Svg.TOP + lane * laneHeight;
            out.append("<text class=\"lane\" x=\"").append(labelWidth - 6).append("\" y=\"").append(top + 15)
                    .append("\" text-anchor=\"end\">").append(Svg.escape(shorten(laneNames.get(lane), 26))).append("<title>")
                    .append(Svg.escape(laneNames.get(lane))).append("</title></text>\n");
            for (Trial t : laneTrials.get(lane)) {
                double a = x.at(seconds(t0, t.started()));
                double b = Math.max(x.at(seconds(t0, t.finished())), a + 1);
                out.append("<rect class=\"bar ").append(t.result().status().name().toLowerCase(Locale.ROOT)).append("\" data-id=\"")
                        .append(t.id()).append("\" x=\"").append(Svg.f(a)).append("\" y=\"").append(top + 3).append("\" width=\"")
                        .append(Svg.f(b - a)).append("\" height=\"").append(laneHeight - 6).append("\"><title>")
                        .append(Svg.escape("#" + t.id() + " " + t.result().status() + ", " + Svg.number(seconds(t.started(), t.finished()))
                                + " s, from " + Svg.number(seconds(t0, t.started())) + " s"
                                + (t.result().error() == null ? "" : "\n" + shorten(t.result().error(), 200))))
                        .append("</title></rect>\n");
            }
        }
        return out.append("</svg>\n").toString();
    }

    /** What a point's tooltip says: the trial, its objectives and its hyper-parameters. */
    static String tooltip(RunData run, Trial t) {
        StringBuilder sb = new StringBuilder("#").append(t.id()).append(" (generation ").append(t.result().generation()).append(')');
        if (run.front().contains(t.id())) {
            sb.append(", on the front");
        }
        for (int k = 0; k < run.objectives().size(); k++) {
            Double v = run.value(t, k);
            sb.append('\n').append(run.objectives().get(k).metric()).append(" = ").append(v == null ? "-" : Html.value(v));
        }
        t.result().hyperparameters().forEach((key, value) -> sb.append('\n').append(key).append(" = ").append(Html.value(value)));
        return sb.toString();
    }

    static String label(Objective o) {
        return o.metric() + " (" + o.direction().name().toLowerCase(Locale.ROOT) + ")";
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }
}
