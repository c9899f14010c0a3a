package io.finegrained.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EnginesTest {
    @Test
    void threadsAreSetOncePerJvm() {
        // Another test class of this JVM may have configured the engine first: its counts stay.
        Engines.configureThreads(1, 1);
        int[] first = Engines.configured();
        int threads = Engines.intraOpThreads();
        if (first[0] > 0) {
            assertEquals(first[0], threads);
        }
        Engines.configureThreads(first[0] + 1, first[1] + 1); // other counts: only a warning
        assertEquals(threads, Engines.intraOpThreads());
        assertEquals(first[0], Engines.configured()[0]);
        assertThrows(IllegalArgumentException.class, () -> Engines.configureThreads(-1, 0));
    }

    @Test
    void openMpWaitsPassivelyUnlessTheEnvironmentChose() {
        String chosen = System.getenv(Engines.WAIT_POLICY);
        assertEquals(chosen == null ? "PASSIVE" : chosen, Engines.preferPassiveWaiting());
    }
}
