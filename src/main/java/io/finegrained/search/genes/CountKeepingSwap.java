package io.finegrained.search.genes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Mutation of a binary code that keeps its number of ones: each 1, with the mutation rate, moves
 * to a position holding a 0, chosen uniformly (Vega's BackboneNas mutation: where to double
 * channels or downsample changes, how often does not). Positions are visited in order, and a 1
 * moved to a later position is visited again there. A code of only zeros or only ones has nowhere
 * to move and is returned without a draw.
 */
public final class CountKeepingSwap implements Mutation<List<Integer>> {

    @Override
    public List<Integer> mutate(List<Integer> value, RandomGenerator rng, Rates rates) {
        int length = value.size();
        int ones = 0;
        for (int bit : value) {
            ones += bit;
        }
        if (ones == 0 || ones == length) {
            return value;
        }
        List<Integer> bits = new ArrayList<>(value);
        for (int i = 0; i < length; i++) {
            if (bits.get(i) == 1 && rng.nextDouble() < rates.mutationRate()) {
                List<Integer> zeros = new ArrayList<>();
                for (int j = 0; j < length; j++) {
                    if (bits.get(j) == 0) {
                        zeros.add(j);
                    }
                }
                bits.set(i, 0);
                bits.set(zeros.get(rng.nextInt(zeros.size())), 1);
            }
        }
        return List.copyOf(bits);
    }
}
