package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Many trials in one JVM, as an executor runs them: nothing of a finished trial stays alive. */
class TrainingMemoryTest {
    private static final int CANDIDATES = 16;

    @Test
    void liveArraysAndResidentMemoryStayFlatOverManyTrials() throws IOException {
        DatasetConfig dataset = DatasetConfig.synthetic(4, 1, 12, 12, 256, 64);
        LoadedData data = Datasets.load(dataset);
        TrainerConfig cfg = TrainerConfig.defaults().withOverrides(Map.of("epochs", 2, "batch_size", 32, "lr", 0.05));
        List<Integer> live = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        int before = Engines.liveArrays();
        for (int i = 0; i < CANDIDATES; i++) {
            // candidates of different widths and optimizers, as a search would produce
            TrainerConfig trial = cfg.withOverrides(Map.of("optimizer", i % 2 == 0 ? "sgd" : "adam",
                    "lr", i % 2 == 0 ? 0.05 : 0.003, "seed", i));
            List<EpochStats> epochs = new ArrayList<>();
            TrainingOutcome out = TrialTrainer.train(TestNetworks.smallCnn(4 + 2 * (i % 4), 4), dataset.inputShape(), trial,
                    data, Split.VALIDATION, Device.cpu(), epochs::add);
            assertTrue(out.ok(), out.reason());
            assertEquals(epochs.get(0).liveArrays(), epochs.get(1).liveArrays(), "arrays pile up within trial " + i);
            live.add(Engines.liveArrays());
            rss.add(residentKb());
        }
        System.out.println("TrainingMemoryTest: live arrays " + live + ", resident kB " + rss);
        for (int n : live) {
            assertEquals(before, n, "arrays alive after each trial: " + live);
        }
        // After a few trials the allocator has its working set; the rest must not add to it.
        long settled = rss.get(3);
        long last = rss.get(CANDIDATES - 1);
        assertTrue(last - settled < 48 * 1024, "resident memory grew from " + settled / 1024 + " MB to " + last / 1024
                + " MB over " + (CANDIDATES - 4) + " trials: " + rss);
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
