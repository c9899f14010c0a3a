package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.finegrained.config.ConfigException;
import io.finegrained.config.JobConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSettingsTest {
    private static SparkSettings read(String spark) {
        return SparkSettings.from(JobConfig.parse("search_space: {}\n" + spark, Path.of("job.yml")));
    }

    @Test
    void theCommandLineWinsThenTheConfigThenLocalStar() {
        assertEquals("local[*]", read("").effectiveMaster(null));
        assertEquals("local[2]", read("spark:\n  master: local[2]\n").effectiveMaster(null));
        assertEquals("local[1]", read("spark:\n  master: local[2]\n").effectiveMaster("local[1]"));
    }

    @Test
    void localRunsAreQuietUnlessTheConfigSaysOtherwise() {
        SparkSettings s = read("spark:\n  conf:\n    spark.ui.enabled: true\n    spark.task.maxFailures: 4\n");
        Map<String, String> conf = s.effectiveConf("local[*]");
        assertEquals("true", conf.get("spark.ui.enabled"));
        assertEquals("127.0.0.1", conf.get("spark.driver.host"));
        assertEquals("4", conf.get("spark.task.maxFailures"));
        assertEquals("false", read("").effectiveConf("local[2]").get("spark.ui.enabled"));
        assertEquals(null, read("").effectiveConf("spark://h:7077").get("spark.ui.enabled"));
    }

    @Test
    void badSettingsAreLocated() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("spark:\n  conf:\n    ui.enabled: false\n"));
        assertEquals("spark.conf.ui.enabled", e.keyPath());
        assertEquals("spark.mastr", assertThrows(ConfigException.class, () -> read("spark:\n  mastr: local\n")).keyPath());
    }
}
