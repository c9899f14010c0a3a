package io.finegrained.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The little SVG a chart needs, drawn here at report time: a plot area with two linear axes,
 * "nice" ticks and text escaped for XML. A chart drawn on the server reads without JavaScript and
 * shows its tooltips through SVG {@code <title>} elements.
 */
final class Svg {
    static final int WIDTH = 480;
    static final int HEIGHT = 300;
    static final int LEFT = 70;
    static final int RIGHT = 16;
    static final int TOP = 14;
    static final int BOTTOM = 46;

    private Svg() {
    }

    /** A linear map from data [lo, hi] to pixels [from, to]. */
    record Scale(double lo, double hi, double from, double to) {
        static Scale of(double min, double max, double from, double to) {
            if (!(max > min)) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.05;
                return new Scale(min - pad, max + pad, from, to);
            }
            double pad = (max - min) * 0.04;
            return new Scale(min - pad, max + pad, from, to);
        }

        double at(double v) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }

        /** About {@code n} round tick values inside the range. */
        List<Double> ticks(int n) {
            double step = niceStep((hi - lo) / n);
            List<Double> out = new ArrayList<>();
            for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
                out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
            }
            return out;
        }
    }

    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / power;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power;
    }

    /** The opening tag and the axes of a chart; the caller adds marks and {@code </svg>}. */
    static void axes(StringBuilder out, String cssClass, String attributes, Scale x, Scale y, String xLabel, String yLabel) {
        out.append("<svg class=\"").append(cssClass).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" role=\"img\"")
                .append(attributes).append(">\n");
        out.append("<rect class=\"plot\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(HEIGHT - TOP - BOTTOM).append("\"/>\n");
        for (double t : x.ticks(6)) {
            double px = x.at(t);
            out.append("<line class=\"grid\" x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/>");
            out.append("<text class=\"tick\" x=\"").append(f(px)).append("\" y=\"").append(HEIGHT - BOTTOM + 15)
                    .append("\" text-anchor=\"middle\">").append(escape(number(t))).append("</text>\n");
        }
        for (double t : y.ticks(5)) {
            double py = y.at(t);
            out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(f(py)).append("\" y2=\"").append(f(py)).append("\"/>");
            out.append("<text class=\"tick\" x=\"").append(LEFT - 5).append("\" y=\"").append(f(py + 4))
                    .append("\" text-anchor=\"end\">").append(escape(number(t))).append("</text>\n");
        }
        out.append("<text class=\"label\" x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"").append(HEIGHT - 8)
                .append("\" text-anchor=\"middle\">").append(escape(xLabel)).append("</text>\n");
        out.append("<text class=\"label\" transform=\"translate(14 ").append((TOP + HEIGHT - BOTTOM) / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(escape(yLabel)).append("</text>\n");
    }

    static Scale xScale(double min, double max) {
        return Scale.of(min, max, LEFT, WIDTH - RIGHT);
    }

    static Scale yScale(double min, double max) {
        return Scale.of(min, max, HEIGHT - BOTTOM, TOP);
    }

    /** A pixel coordinate with one decimal. */
    static String f(double v) {
        long tenths = Math.round(v * 10); // pixels: a fast fixed-point form, thousands per chart
        String sign = tenths < 0 ? "-" : "";
        tenths = Math.abs(tenths);
        return sign + tenths / 10 + "." + tenths % 10;
    }

    /** A value for a tick or a tooltip: short, with k/M/G for large magnitudes. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e4) {
            return trim(v / 1e3) + "k";
        }
        if (a != 0 && a < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s;
        }
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    /** Text for HTML and XML content and attribute values. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
