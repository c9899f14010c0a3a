package io.finegrained.search;

import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One child for the next proposal of a genetic search, generational or steady-state alike: a
 * uniform draw when the caller asks for one, else the twin left by the last crossover, else two
 * new children of two tournament-picked parents (the first returned, its twin queued).
 */
public final class Breeding {
    /** Refused tries in a row after which every other try is a uniform draw (a converged population, a tight constraint). */
    static final int STUCK_AFTER = 20;

    private Breeding() {
    }

    /** Whether, after {@code failures} refused tries in a row, this try should be a uniform draw. */
    public static boolean stuck(int failures) {
        return failures >= STUCK_AFTER && failures % 2 == 1;
    }

    public static Map<String, Object> child(boolean uniform, Genome genome, Selection selection, List<Selection.Ranked> parents,
                                            Deque<Map<String, Object>> twins, Rng rng, Variation variation) {
        if (uniform) {
            return genome.random(rng);
        }
        if (!twins.isEmpty()) {
            return twins.poll();
        }
        List<Map<String, Object>> kids = genome.offspring(selection.pick(parents, rng).values(),
                selection.pick(parents, rng).values(), rng, variation);
        twins.add(kids.get(1));
        return kids.get(0);
    }
}
