package io.finegrained.report;

import io.finegrained.space.NetworkSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The module table {@code explain} prints (name, type, output shape, params, MACs, the totals and
 * bit-ops), as text: one formatter, so the report shows the best network exactly as
 * {@code explain} shows a space's default network.
 */
public final class ModuleTable {
    private ModuleTable() {
    }

    /**
     * The table, lines ending in a newline.
     *
     * @param depth nested modules down to this depth are listed too (0: top-level modules only)
     */
    public static String text(NetworkSummary s, int depth) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"module", "type", "output shape", "params", "MACs"});
        for (NetworkSummary.Row r : s.rows()) {
            if (r.depth() <= depth) {
                lines.add(new String[] {"  ".repeat(r.depth()) + r.name(), r.type(), shape(r.outputShape()), number(r.params()), number(r.macs())});
            }
        }
        lines.add(new String[] {"total", "", "", number(s.params()), number(s.macs())});
        int[] widths = new int[5];
        for (String[] l : lines) {
            for (int i = 0; i < 5; i++) {
                widths[i] = Math.max(widths[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("input shape ").append(shape(s.inputShape())).append(" (C, H, W)\n");
        String format = "%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %" + widths[3] + "s  %" + widths[4] + "s%n";
        for (int n = 0; n < lines.size(); n++) {
            if (n == lines.size() - 1) {
                out.append("-".repeat(widths[0] + widths[1] + widths[2] + widths[3] + widths[4] + 8)).append('\n');
            }
            out.append(String.format(Locale.ROOT, format, (Object[]) lines.get(n)));
        }
        if (s.bitops() != null) {
            out.append("bitops ").append(number(s.bitops())).append(" (MACs x w_bits x a_bits / 1024; ")
                    .append(s.quantizableLayers().size()).append(" quantizable layers)\n");
        }
        return out.toString();
    }

    /** {@code [1, 28, 28]}. */
    public static String shape(long[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(']').toString();
    }

    /** {@code 40,813,184}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
