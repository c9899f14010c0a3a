package io.finegrained.trial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.finegrained.search.Candidate;
import io.finegrained.search.TrialResult;
import io.finegrained.search.TrialStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardedTrialTest {
    private static final Candidate CANDIDATE = new Candidate(3, 0, Map.of("x", 1L));

    @Test
    void aThrowingCandidateFailsWithItsReason() {
        TrialResult r = GuardedTrial.run(c -> {
            throw new IllegalStateException("shapes do not fit", new ArithmeticException("width 0"));
        }, CANDIDATE);
        assertEquals(TrialStatus.FAILED, r.status());
        assertEquals("IllegalStateException: shapes do not fit (cause: ArithmeticException: width 0)", r.error());
        assertEquals(3, r.id());
    }

    @Test
    void anOutOfMemoryErrorFailsTheTrialNotTheJvm() {
        TrialResult r = GuardedTrial.run(c -> {
            // One array larger than the whole heap: fails at once, without filling the machine's memory.
            long[] hog = new long[(int) Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 8 + 1024)];
            return TrialResult.ok(c, Map.of("n", (double) hog.length), 0);
        }, CANDIDATE);
        assertEquals(TrialStatus.FAILED, r.status());
        assertTrue(r.error().startsWith("out of memory: OutOfMemoryError"), r.error());
    }

    @Test
    void aCancelledTrialIsNotAResult() {
        assertThrows(TrialInterruptedException.class, () -> GuardedTrial.run(c -> {
            throw new TrialInterruptedException("cancelled");
        }, CANDIDATE));
    }
}
