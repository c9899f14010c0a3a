package io.finegrained.space;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes a {@link ModuleSpec} as canonical YAML (block maps, flow lists). */
final class SpecYaml {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*");

    private SpecYaml() {
    }

    static String write(ModuleSpec spec) {
        StringBuilder sb = new StringBuilder();
        if (spec.type().equals("FineGrainedSpace")) {
            sb.append("search_space:\n");
            writeMap(spec, sb, 2);
        } else {
            writeMap(spec, sb, 0);
        }
        return sb.toString();
    }

    private static void writeMap(ModuleSpec spec, StringBuilder sb, int indent) {
        if (!spec.type().equals("Definitions")) {
            line(sb, indent).append("type: ").append(scalar(spec.type())).append('\n');
        }
        for (Map.Entry<String, Object> e : spec.params().entrySet()) {
            writeEntry(e.getKey(), e.getValue(), sb, indent);
        }
    }

    private static void writeEntry(String key, Object value, StringBuilder sb, int indent) {
        line(sb, indent).append(key).append(':');
        if (value instanceof ModuleSpec nested) {
            sb.append('\n');
            writeMap(nested, sb, indent + 2);
        } else if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            sb.append('\n');
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writeEntry(String.valueOf(e.getKey()), e.getValue(), sb, indent + 2);
            }
        } else {
            sb.append(' ').append(flow(value)).append('\n');
        }
    }

    private static StringBuilder line(StringBuilder sb, int indent) {
        return sb.append(" ".repeat(indent));
    }

    static String flow(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(flow(list.get(i)));
            }
            return sb.append(']').toString();
        }
        if (value instanceof String s) {
            return scalar(s);
        }
        if (value instanceof Double d) {
            return Double.toString(d);
        }
        return String.valueOf(value);
    }

    private static String scalar(String s) {
        boolean reserved = s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false") || s.equalsIgnoreCase("null")
                || s.equalsIgnoreCase("yes") || s.equalsIgnoreCase("no") || s.equalsIgnoreCase("on") || s.equalsIgnoreCase("off")
                || s.equals("~");
        if (PLAIN.matcher(s).matches() && !reserved) {
            return s;
        }
        return "'" + s.replace("'", "''") + "'";
    }
}
