import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command-trial program for the tests, in plain Java so the tests need nothing but a JDK.
 * Reads the candidate JSON from stdin and behaves as its first argument says:
 * quadratic (f1 = x, f2 = (1 - x)^2 + y), echo, fail, nojson, chatty, omit, sleep SECONDS, slow-id ID SECONDS.
 */
public class TrialProgram {
    public static void main(String[] args) throws Exception {
        String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        double x = number(input, "x", 0.5);
        double y = number(input, "y", 0.0);
        int id = (int) number(input, "id", -1);
        String mode = args.length > 0 ? args[0] : "quadratic";
        System.out.println("starting trial " + id);
        switch (mode) {
            case "echo" -> {
                Files.writeString(Path.of("here.txt"), input);
                System.out.println("{\"id\": " + id + ", \"generation\": " + (int) number(input, "generation", -1)
                        + ", \"x\": " + x + ", \"note\": \"text is not a metric\"}");
            }
            case "fail" -> {
                System.err.println("loading data ...");
                System.err.println("ValueError: x=" + x + " is not allowed");
                System.exit(3);
            }
            case "nojson" -> System.out.println("all done, but no metrics");
            case "chatty" -> {
                String line = "step loss 0.123456789 ".repeat(4);
                for (int i = 0; i < 30000; i++) {
                    System.out.println(i + " " + line);
                    System.err.println(i + " " + line);
                }
                System.out.println("{\"f1\": " + x + "}");
            }
            case "omit" -> System.out.println("{\"f1\": " + x + "}");
            case "sleep" -> {
                Thread.sleep(Math.round(Double.parseDouble(args[1]) * 1000));
                System.out.println("{\"f1\": " + x + ", \"f2\": " + y + "}");
            }
            case "slow-id" -> {
                if (id == Integer.parseInt(args[1])) {
                    Thread.sleep(Math.round(Double.parseDouble(args[2]) * 1000));
                }
                System.out.println("{\"f1\": " + x + ", \"f2\": " + ((1 - x) * (1 - x) + y) + "}");
            }
            default -> {
                System.out.println("{\"f1\": " + x + ", \"f2\": " + ((1 - x) * (1 - x) + y) + "}");
                System.out.println("trailing words after the metrics");
            }
        }
    }

    private static double number(String json, String key, double fallback) throws IOException {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }
}
