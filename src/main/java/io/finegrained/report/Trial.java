package io.finegrained.report;

import io.finegrained.search.TrialResult;
import java.time.Instant;

/**
 * One journal row as the report shows it: the result, and where and when it ran when the row says
 * so ({@code started}, {@code finished}, {@code executor} are optional: older journals lack them).
 *
 * @param started null when the row has no (readable) start time
 * @param finished null when the row has no (readable) end time
 * @param executor null when the row does not say where it ran
 */
record Trial(TrialResult result, Instant started, Instant finished, String executor) {

    int id() {
        return result.id();
    }

    boolean hasTimes() {
        return started != null && finished != null && !finished.isBefore(started);
    }
}
