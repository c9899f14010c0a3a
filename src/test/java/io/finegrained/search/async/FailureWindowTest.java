package io.finegrained.search.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureWindowTest {

    @Test
    void tripsOnTheLastNVerdictsSliding() {
        FailureWindow w = new FailureWindow(4, 0.5); // trips above 2 failures among the last 4
        assertFalse(w.add(true));
        assertFalse(w.add(true));
        assertFalse(w.add(false));
        assertFalse(w.add(false));
        assertFalse(w.add(true), "the first failure slid out: still 2 of the last 4");
        assertEquals(2, w.failures());
        assertFalse(w.add(true), "2 of the last 4 again");
        assertTrue(w.add(true), "3 of the last 4");
    }
}
