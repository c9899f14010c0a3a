package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.config.ConfigException;
import io.finegrained.train.NativeAllocator;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class ClusterResourcesTest {

    private static SparkConf conf(String master, String... settings) {
        SparkConf conf = new SparkConf(false).setMaster(master);
        for (int i = 0; i < settings.length; i += 2) {
            conf.set(settings[i], settings[i + 1]);
        }
        return conf;
    }

    private static ConfigException refused(SparkConf conf) {
        return assertThrows(ConfigException.class, () -> ClusterResources.requireOneTrainingSlot(conf, true));
    }

    @Test
    void singleJvmMastersAreNotChecked() {
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(conf("local[*]"), true));
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(conf("local"), true));
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(conf("local[4]", "spark.task.cpus", "1"), true));
    }

    @Test
    void commandTrialsAreExempt() {
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(conf("spark://h:7077"), false));
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(
                conf("yarn", "spark.executor.cores", "4"), false));
    }

    @Test
    void taskCpusEqualToExecutorCoresIsOneSlot() {
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(
                conf("spark://h:7077", "spark.executor.cores", "4", "spark.task.cpus", "4"), true));
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(conf("yarn"), true));
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(
                conf("local-cluster[2,1,1024]"), true));
    }

    @Test
    void severalSlotsPerExecutorAreRefusedWithTheValueToSet() {
        var e = refused(conf("spark://h:7077", "spark.executor.cores", "4", "spark.task.cpus", "1"));
        assertEquals("spark.task.cpus", e.keyPath());
        assertTrue(e.getMessage().contains("up to 4 DJL trainings"), e.getMessage());
        assertTrue(e.getMessage().contains("set spark.task.cpus=4"), e.getMessage());

        var k8s = refused(conf("k8s://https://api:6443", "spark.executor.cores", "2"));
        assertTrue(k8s.getMessage().contains("set spark.task.cpus=2"), k8s.getMessage());

        var local = refused(conf("local-cluster[2, 2, 1024]", "spark.task.cpus", "1"));
        assertTrue(local.getMessage().contains("set spark.task.cpus=2"), local.getMessage());
    }

    @Test
    void standaloneWithoutExecutorCoresIsRefused() {
        var e = refused(conf("spark://h:7077", "spark.task.cpus", "2"));
        assertEquals("spark.executor.cores", e.keyPath());
        assertTrue(e.getMessage().contains("set spark.executor.cores=N and spark.task.cpus=N"), e.getMessage());
    }

    @Test
    void oneGpuPerExecutorAndTaskIsOneSlotWhateverTheCores() {
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(conf("spark://h:7077",
                "spark.executor.cores", "8", "spark.task.cpus", "1",
                "spark.executor.resource.gpu.amount", "1", "spark.task.resource.gpu.amount", "1"), true));
    }

    @Test
    void sharedOrSeveralGpusAreRefused() {
        var shared = refused(conf("yarn", "spark.executor.resource.gpu.amount", "1",
                "spark.task.resource.gpu.amount", "0.5"));
        assertEquals("spark.task.resource.gpu.amount", shared.keyPath());
        assertTrue(shared.getMessage().contains("each task 0.5"), shared.getMessage());

        var two = refused(conf("yarn", "spark.executor.resource.gpu.amount", "2",
                "spark.task.resource.gpu.amount", "1"));
        assertEquals("spark.executor.resource.gpu.amount", two.keyPath());
    }

    @Test
    void aSettingThatIsNotANumberIsNamed() {
        var e = refused(conf("yarn", "spark.task.cpus", "all"));
        assertEquals("spark.task.cpus", e.keyPath());
        assertTrue(e.getMessage().contains("'all' is not a number"), e.getMessage());
    }

    @Test
    void defaultsGiveExecutorsTheJava17OpensAndOfflineDjl() {
        SparkConf conf = conf("spark://h:7077", "spark.executor.extraJavaOptions", "-Xss4m");
        ClusterResources.applyDefaults(conf, true);
        String options = conf.get("spark.executor.extraJavaOptions");
        assertTrue(options.startsWith("-Xss4m "), options);
        assertTrue(options.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), options);
        assertEquals("true", conf.get("spark.executorEnv.DJL_OFFLINE"));
        NativeAllocator.ENVIRONMENT.forEach((name, value) -> assertEquals(value, conf.get("spark.executorEnv." + name), name));

        ClusterResources.applyDefaults(conf, true);
        assertEquals(options, conf.get("spark.executor.extraJavaOptions"), "applying twice adds nothing");
    }

    @Test
    void defaultsKeepUserSettingsAndLeaveLocalAlone() {
        SparkConf user = conf("spark://h:7077", "spark.executorEnv.DJL_OFFLINE", "false", "spark.executorEnv.MALLOC_ARENA_MAX", "4");
        ClusterResources.applyDefaults(user, true);
        assertEquals("false", user.get("spark.executorEnv.DJL_OFFLINE"));
        assertEquals("4", user.get("spark.executorEnv.MALLOC_ARENA_MAX"));

        SparkConf local = conf("local[2]");
        ClusterResources.applyDefaults(local, true);
        assertFalse(local.contains("spark.executor.extraJavaOptions"));
        assertFalse(local.contains("spark.executorEnv.DJL_OFFLINE"));
        assertFalse(local.contains("spark.executorEnv.MALLOC_ARENA_MAX"));
    }

    @Test
    void djlTrainingsUseTheExecutorsCoresNotTheMachines() {
        SparkConf djl = conf("spark://h:7077", "spark.executor.cores", "3", "spark.task.cpus", "3");
        ClusterResources.applyDefaults(djl, true);
        String options = djl.get("spark.executor.extraJavaOptions");
        assertTrue(options.contains("-Dai.djl.pytorch.num_threads=3 -Dai.djl.pytorch.num_interop_threads=1"), options);

        SparkConf local = conf("local-cluster[2,1,1024]");
        ClusterResources.applyDefaults(local, true);
        assertTrue(local.get("spark.executor.extraJavaOptions").contains("-Dai.djl.pytorch.num_threads=1"));

        SparkConf user = conf("yarn", "spark.executor.extraJavaOptions", "-Dai.djl.pytorch.num_threads=8");
        ClusterResources.applyDefaults(user, true);
        String kept = user.get("spark.executor.extraJavaOptions");
        assertTrue(kept.contains("num_threads=8") && !kept.contains("num_threads=1"), kept);

        SparkConf command = conf("spark://h:7077", "spark.executor.cores", "3");
        ClusterResources.applyDefaults(command, false);
        assertFalse(command.get("spark.executor.extraJavaOptions").contains("num_threads"), "command trials have no PyTorch");

        SparkConf unknown = conf("spark://h:7077");
        ClusterResources.applyDefaults(unknown, true);
        assertFalse(unknown.get("spark.executor.extraJavaOptions").contains("num_threads"), "cores unknown: the check speaks");
    }

    @Test
    void localClusterGetsOneTrainingSlotPerExecutorForDjlTrials() {
        SparkConf djl = conf("local-cluster[2,3,1024]");
        ClusterResources.applyDefaults(djl, true);
        assertEquals("3", djl.get("spark.task.cpus"));
        assertDoesNotThrow(() -> ClusterResources.requireOneTrainingSlot(djl, true));

        SparkConf command = conf("local-cluster[2,3,1024]");
        ClusterResources.applyDefaults(command, false);
        assertFalse(command.contains("spark.task.cpus"), "command trials keep every slot");
    }
}
