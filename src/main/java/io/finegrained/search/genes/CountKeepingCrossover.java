package io.finegrained.search.genes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Crossover of two binary codes with the same number of ones that keeps that number: each child
 * starts from one parent and, among the positions where the parents differ, takes a random half
 * as ones (half of those positions are 1 in each parent, so the count holds). The first child
 * starts from the first parent and draws its order first.
 */
public final class CountKeepingCrossover implements Crossover<List<Integer>> {

    @Override
    public Pair<List<Integer>> cross(List<Integer> a, List<Integer> b, RandomGenerator rng, Rates rates) {
        List<Integer> first = child(a, b, rng);
        return new Pair<>(first, child(b, a, rng));
    }

    private static List<Integer> child(List<Integer> from, List<Integer> other, RandomGenerator rng) {
        List<Integer> differ = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            if (!from.get(i).equals(other.get(i))) {
                differ.add(i);
            }
        }
        List<Integer> bits = new ArrayList<>(from);
        int[] order = Permutations.of(rng, differ.size());
        for (int k = 0; k < differ.size(); k++) {
            bits.set(differ.get(order[k]), k < differ.size() / 2 ? 1 : 0);
        }
        return List.copyOf(bits);
    }
}
