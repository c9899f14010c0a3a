package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.finegrained.config.JobConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spark.hadoop.* settings reach the Hadoop configuration data is read with, from each place Spark users put them. */
class HadoopConfTest {
    @Test
    void sparkHadoopSettingsBecomeHadoopSettings() {
        HadoopConf.useSparkSettings(Map.of("spark.hadoop.finegrained.test.a", "1", "spark.executor.memory", "2g"));
        assertEquals("1", HadoopConf.get().get("finegrained.test.a"));
        assertNull(HadoopConf.get().get("executor.memory"), "only spark.hadoop.* keys");
        HadoopConf.useSparkSettings(Map.of("spark.hadoop.finegrained.test.a", "3"));
        assertEquals("3", HadoopConf.get().get("finegrained.test.a"), "a changed setting is seen");
    }

    @Test
    void theJobFilesSparkConfIsSeenByTheCheckAtTheStart() {
        JobConfig job = JobConfig.parse("search_space: {}\nspark:\n  conf:\n    spark.hadoop.finegrained.test.b: from-the-job\n",
                Path.of("/tmp/job.yml"));
        DatasetConfig.from(job);
        assertEquals("from-the-job", HadoopConf.get().get("finegrained.test.b"));
    }
}
