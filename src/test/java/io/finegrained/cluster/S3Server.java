package io.finegrained.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3-compatible server for one test class: {@code .ci/s3rver/server.js} (the npm package
 * {@code @20minutes/s3rver}) in a Node.js process of its own, on 127.0.0.1 and a free port, with
 * one bucket, its objects under the class's temporary folder. Where the package is installed is
 * the system property {@value #MODULES_KEY} (its {@code node_modules} folder; {@code .ci/run}
 * installs it there): without it the server cannot start, and the test fails saying so.
 */
public final class S3Server implements AutoCloseable {
    public static final String MODULES_KEY = "finegrained.s3rver.modules";
    /** s3rver's fixed credentials: the only key pair it accepts. */
    public static final String ACCESS_KEY = "S3RVER";
    public static final String SECRET_KEY = "S3RVER";
    private static final Pattern LISTENING = Pattern.compile("s3rver listening on ([0-9.]+):([0-9]+)");

    private final Process process;
    private final String endpoint;
    private final String bucket;

    private S3Server(Process process, String endpoint, String bucket) {
        this.process = process;
        this.endpoint = endpoint;
        this.bucket = bucket;
    }

    public static S3Server start(Path dir, String bucket) throws IOException, InterruptedException {
        String modules = System.getProperty(MODULES_KEY);
        if (modules == null || !Files.isDirectory(Path.of(modules, "@20minutes", "s3rver"))) {
            throw new IllegalStateException("no S3 server: -D" + MODULES_KEY + " must name the node_modules folder that"
                    + " holds @20minutes/s3rver (bash .ci/s3-check.sh installs it and runs this test); it is " + modules);
        }
        Path root = Path.of(System.getProperty("project.root", "."));
        Path data = Files.createDirectories(dir.resolve("s3rver"));
        // s3rver encrypts a truncated listing's continuation token with DES, which OpenSSL 3 keeps in
        // its legacy provider: without it every listing longer than a page fails with a 500.
        ProcessBuilder builder = new ProcessBuilder("node", "--openssl-legacy-provider", root.resolve(".ci/s3rver/server.js").toString(),
                data.toString(), "0", bucket).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", modules);
        long start = System.nanoTime();
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // The first line says where it listens; later lines (its errors: s3rver logs nothing else
        // unless S3RVER_LOG=1) go to stderr, and the pipe never fills up.
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "cannot read the server's output: " + e;
            }
        });
        String line;
        try {
            line = first.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException("s3rver did not say where it listens within 30 s", e);
        }
        Matcher m = LISTENING.matcher(String.valueOf(line));
        if (!m.find()) {
            process.destroyForcibly();
            throw new IllegalStateException("s3rver did not start: " + line);
        }
        Thread drain = new Thread(() -> {
            try {
                for (String next = out.readLine(); next != null; next = out.readLine()) {
                    System.err.println("s3rver: " + next);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "s3rver-output");
        drain.setDaemon(true);
        drain.start();
        S3Server server = new S3Server(process, "http://" + m.group(1) + ":" + m.group(2), bucket);
        System.err.printf(Locale.ROOT, "s3rver at %s (bucket %s) in %.1f s%n", server.endpoint, bucket, (System.nanoTime() - start) / 1e9);
        return server;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return endpoint;
    }

    /** {@code s3a://<bucket>}. */
    public String uri() {
        return "s3a://" + bucket;
    }

    /**
     * What S3A needs to use this server, as {@code spark.hadoop.*} settings (system properties on a
     * driver, a job file's {@code spark.conf}): the endpoint over plain HTTP, path-style requests
     * (no {@code bucket.host} names to resolve) and the server's keys; retries bounded so that a
     * refusal is quick.
     */
    public Map<String, String> sparkSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spark.hadoop.fs.s3a.endpoint", endpoint);
        settings.put("spark.hadoop.fs.s3a.path.style.access", "true");
        settings.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        settings.put("spark.hadoop.fs.s3a.access.key", ACCESS_KEY);
        settings.put("spark.hadoop.fs.s3a.secret.key", SECRET_KEY);
        settings.put("spark.hadoop.fs.s3a.attempts.maximum", "2");
        settings.put("spark.hadoop.fs.s3a.retry.limit", "2");
        return settings;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
