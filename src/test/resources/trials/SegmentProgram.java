import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command trial that follows the segment contract (docs/async-execution.md): it trains one
 * resource unit per "ms" milliseconds up to the resource asked (or its budget, the first
 * argument), resuming from its own checkpoint, appends each unit it trains to
 * checkpoint_dir/trained.log, and prints {"resource": r, "f1": ..} at the end. With the argument
 * "ignore" it ignores the contract: it trains its whole budget and prints only {"f1": ..}.
 */
public class SegmentProgram {
    public static void main(String[] args) throws Exception {
        String input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        int budget = Integer.parseInt(args[0]);
        boolean ignore = args.length > 1 && args[1].equals("ignore");
        double q = number(input, "q", 0);
        long ms = (long) number(input, "ms", 50);
        if (ignore) {
            Thread.sleep(ms * budget);
            System.out.println("{\"f1\": " + (q + 1.0) + "}");
            return;
        }
        Path dir = Path.of(text(input, "checkpoint_dir"));
        double target = number(input, "resource", budget);
        int to = (int) Math.min(budget, target);
        Path state = dir.resolve("state");
        int at = Files.exists(state) ? Integer.parseInt(Files.readString(state).strip()) : 0;
        for (int r = at + 1; r <= to; r++) {
            Thread.sleep(ms);
            Files.writeString(dir.resolve("trained.log"), r + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(state, Integer.toString(r));
            at = r;
        }
        System.out.println("{\"resource\": " + at + ", \"f1\": " + (q + 1.0 / at) + "}");
    }

    private static double number(String json, String key, double fallback) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }

    private static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + key + " in " + json);
        }
        return m.group(1);
    }
}
