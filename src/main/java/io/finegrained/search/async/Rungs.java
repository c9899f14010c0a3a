package io.finegrained.search.async;

import java.util.ArrayList;
import java.util.List;

/**
 * The resources at which a trial is judged: r_min·η^k below the maximum, then the maximum itself
 * (1, 3, 9 for r_min 1, η 3, max 9; 1, 3, 9, 10 for max 10). Immutable.
 */
public record Rungs(int minResource, int maxResource, int eta) {

    public Rungs {
        if (minResource < 1 || maxResource < minResource || eta < 2) {
            throw new IllegalArgumentException("need 1 <= min_resource <= max_resource and eta >= 2, got "
                    + minResource + ", " + maxResource + ", " + eta);
        }
    }

    /** Every level, ascending; the last is {@link #maxResource()}. */
    public List<Integer> levels() {
        List<Integer> out = new ArrayList<>();
        long r = minResource;
        while (r < maxResource) {
            out.add((int) r);
            r *= eta;
        }
        out.add(maxResource);
        return List.copyOf(out);
    }
}
