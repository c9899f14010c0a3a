package io.finegrained.search.genes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The repair of a keep-mask: a mask left without a 1 gets one random channel back (one draw),
 * any other mask is returned as it is, without a draw. A channel group never loses all its channels.
 */
public final class KeepOne implements Mutation<List<Integer>> {

    @Override
    public List<Integer> mutate(List<Integer> mask, RandomGenerator rng, Rates rates) {
        return repair(mask, rng);
    }

    /** The mask, repaired (one draw only when it keeps no channel). */
    public static List<Integer> repair(List<Integer> mask, RandomGenerator rng) {
        if (mask.contains(1)) {
            return List.copyOf(mask);
        }
        List<Integer> out = new ArrayList<>(mask);
        out.set(rng.nextInt(out.size()), 1);
        return List.copyOf(out);
    }
}
