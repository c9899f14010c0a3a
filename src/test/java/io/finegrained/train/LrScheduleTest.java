package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
    private static LrSchedule schedule(Map<String, Object> values, int stepsPerEpoch) {
        return new LrSchedule(TrainerConfig.defaults().withOverrides(values), stepsPerEpoch);
    }

    @Test
    void warmupRisesLinearlyThenConstant() {
        LrSchedule s = schedule(Map.of("lr", 0.1, "schedule", "constant", "warmup_epochs", 1, "epochs", 3), 10);
        assertEquals(0.01, s.rateAt(0), 1e-12);
        assertEquals(0.05, s.rateAt(4), 1e-12);
        assertEquals(0.1, s.rateAt(9), 1e-12);
        assertEquals(0.1, s.rateAt(29), 1e-12);
        assertEquals((float) 0.01, s.getNewValue(1), 1e-9); // DJL counts updates from 1
    }

    @Test
    void stepDecaysEveryStepSizeEpochs() {
        LrSchedule s = schedule(Map.of("lr", 1.0, "schedule", "step", "step_size", 2, "gamma", 0.5, "epochs", 6), 5);
        assertEquals(1.0, s.rateAt(9), 1e-12); // epoch 1 (0-based)
        assertEquals(0.5, s.rateAt(10), 1e-12); // epoch 2
        assertEquals(0.25, s.rateAt(20), 1e-12);
    }

    @Test
    void multistepDecaysAtMilestones() {
        LrSchedule s = schedule(Map.of("lr", 1.0, "schedule", "multistep", "milestones", List.of(1, 3), "epochs", 4), 2);
        assertEquals(1.0, s.rateAt(1), 1e-12);
        assertEquals(0.1, s.rateAt(2), 1e-12);
        assertEquals(0.1, s.rateAt(5), 1e-12);
        assertEquals(0.01, s.rateAt(6), 1e-12);
    }

    @Test
    void cosineAnnealsFromLrToMinLrAfterWarmup() {
        LrSchedule s = schedule(Map.of("lr", 0.2, "min_lr", 0.0, "warmup_epochs", 1, "epochs", 5), 10);
        assertEquals(0.2, s.rateAt(10), 1e-12); // first step after warm-up
        assertEquals(0.1, s.rateAt(30), 1e-12); // half way through the 40 annealed steps
        assertEquals(0.2 * 0.5 * (1 + Math.cos(Math.PI * 39 / 40)), s.rateAt(49), 1e-12);
    }
}
