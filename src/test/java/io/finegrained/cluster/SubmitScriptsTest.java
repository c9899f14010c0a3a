package io.finegrained.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.train.NativeAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code submit/gpu-discovery.sh} and {@code submit/spark-submit.sh --dry-run}, run by bash. */
class SubmitScriptsTest {

    record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("/bin/bash"));
        line.add(StandaloneCluster.projectRoot().resolve(command[0]).toString());
        line.addAll(List.of(command).subList(1, command.length));
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().remove("FINEGRAINED_FAKE_GPUS");
        builder.environment().remove("SPARK_SUBMIT");
        builder.environment().keySet().removeAll(NativeAllocator.ENVIRONMENT.keySet()); // the scripts' defaults show
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script finished");
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void discoveryPrintsFakeAddressesInSparksFormat() throws Exception {
        Run run = run(Map.of("FINEGRAINED_FAKE_GPUS", "0,1"), "submit/gpu-discovery.sh");
        assertEquals(0, run.exit(), run.stderr());
        ResourceInformation gpus = ResourceInformation.parseJson(run.stdout().trim());
        assertEquals("gpu", gpus.name());
        assertArrayEquals(new String[] {"0", "1"}, gpus.addresses());
    }

    @Test
    void discoveryAsksNvidiaSmiForTheIndices(@TempDir Path bin) throws Exception {
        Path smi = bin.resolve("nvidia-smi");
        // Answers as nvidia-smi --query-gpu=index --format=csv,noheader does on a 3-GPU node.
        Files.writeString(smi, "#!/bin/sh\n[ \"$1\" = --query-gpu=index ] && printf '0\\n1\\n2\\n'\n");
        assertTrue(smi.toFile().setExecutable(true));
        Run run = run(Map.of("PATH", bin + ":" + System.getenv("PATH")), "submit/gpu-discovery.sh");
        assertEquals(0, run.exit(), run.stderr());
        assertArrayEquals(new String[] {"0", "1", "2"}, ResourceInformation.parseJson(run.stdout().trim()).addresses());
    }

    @Test
    void discoveryWithoutNvidiaSmiFailsSayingSo(@TempDir Path bin) throws Exception {
        // A PATH with the basic tools but no nvidia-smi.
        for (String tool : List.of("hostname", "tr", "grep")) {
            Path found = Path.of("/usr/bin", tool);
            if (Files.exists(found)) {
                Files.createSymbolicLink(bin.resolve(tool), found);
            }
        }
        Run run = run(Map.of("PATH", bin.toString()), "submit/gpu-discovery.sh");
        assertEquals(1, run.exit());
        assertTrue(run.stderr().contains("nvidia-smi not found"), run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void submitOnYarnWithGpusAsksOneGpuPerTaskAndShipsTheDiscoveryScript() throws Exception {
        Run run = run(Map.of(), "submit/spark-submit.sh", "--dry-run", "--master", "yarn", "--gpu",
                "--trial-cores", "4", "--num-executors", "8", "search", "conf/x.yml", "--resume");
        assertEquals(0, run.exit(), run.stderr());
        String line = run.stdout();
        for (String expected : List.of("--class io.finegrained.cli.Main", "spark.executor.cores=4", "spark.task.cpus=4",
                "spark.executor.resource.gpu.amount=1", "spark.task.resource.gpu.amount=1",
                "spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh", "submit/gpu-discovery.sh",
                "spark.executorEnv.PYTORCH_FLAVOR=cu128", "spark.executorEnv.DJL_OFFLINE=true",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--num-executors 8")) {
            assertTrue(line.contains(expected), "missing " + expected + " in " + line);
        }
        assertTrue(line.trim().endsWith("finegrained-cluster.jar search conf/x.yml --resume"), line);
    }

    @Test
    void submitGivesDriverAndExecutorsTheMallocSettingsUnlessTheUserChose() throws Exception {
        Run run = run(Map.of(), "submit/spark-submit.sh", "--dry-run", "--master", "spark://h:7077", "search", "c.yml");
        assertEquals(0, run.exit(), run.stderr());
        NativeAllocator.ENVIRONMENT.forEach((name, value) -> assertTrue(
                run.stdout().contains("spark.executorEnv." + name + "=" + value), name + " in " + run.stdout()));
        Run chosen = run(Map.of("MALLOC_ARENA_MAX", "4"), "submit/spark-submit.sh", "--dry-run", "--master",
                "spark://h:7077", "search", "c.yml");
        assertTrue(chosen.stdout().contains("spark.executorEnv.MALLOC_ARENA_MAX=4"), chosen.stdout());
    }

    @Test
    void submitWithoutGpusAsksForNone() throws Exception {
        Run run = run(Map.of(), "submit/spark-submit.sh", "--dry-run", "--master", "spark://h:7077", "search", "c.yml");
        assertEquals(0, run.exit(), run.stderr());
        assertFalse(run.stdout().contains("gpu"), run.stdout());
        assertFalse(run.stdout().contains("spark.task.cpus"), run.stdout());
    }

    @Test
    void submitWithoutACommandShowsUsage() throws Exception {
        Run run = run(Map.of(), "submit/spark-submit.sh", "--master", "yarn");
        assertEquals(2, run.exit());
        assertTrue(run.stderr().startsWith("usage: submit/spark-submit.sh"), run.stderr());
    }
}
