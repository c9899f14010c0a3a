import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a training script, for conf/command_hpo.yml: reads the candidate from stdin,
 * prints some log lines and, last, one JSON object with its metrics. Runs with Java alone
 * (java SyntheticTraining.java, Java 11+). Replace it by your own program: any language, same
 * protocol (candidate JSON on stdin, metrics as the last JSON line on stdout, non-zero exit = failed).
 *
 * The "error" is a smooth function with its optimum near lr = 0.01, x0 = 0.3, width = 48,
 * depth = 34; the "cost" grows with depth and width, so the two objectives conflict.
 */
public class SyntheticTraining {
    public static void main(String[] args) throws Exception {
        String candidate = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        double lr = number(candidate, "lr");
        double x0 = number(candidate, "x0");
        double depth = number(candidate, "depth");
        double width = number(candidate, "width");
        System.out.println("training with lr=" + lr + " x0=" + x0 + " depth=" + depth + " width=" + width);

        double lrTerm = Math.pow(Math.log10(lr) + 2, 2) * 0.05;
        double shapeTerm = Math.pow(x0 - 0.3, 2) + Math.pow((width - 48) / 48, 2) * 0.2 + Math.abs(depth - 34) / 160;
        double error = 0.08 + lrTerm + shapeTerm;
        double cost = depth * width / 1000.0;
        System.out.printf(java.util.Locale.ROOT, "{\"error\": %.6f, \"cost\": %.4f}%n", error, cost);
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            System.err.println("no '" + key + "' in the candidate: " + json);
            System.exit(2);
        }
        return Double.parseDouble(m.group(1));
    }
}
