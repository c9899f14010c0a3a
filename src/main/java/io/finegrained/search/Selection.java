package io.finegrained.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Survivor and parent selection of the generational algorithms. {@link #nsga2()} is Deb's
 * NSGA-II selector (non-dominated rank, then crowding distance; binary crowded tournament);
 * {@link #singleObjective(int)} is truncation with tournaments of a given size.
 */
public interface Selection {

    /** An individual with the standing selection gave it. */
    record Ranked(Individual individual, int rank, double crowding) {
    }

    /** The {@code n} survivors of the pool (or all, when fewer), best first. */
    List<Ranked> survive(List<Individual> pool, int n);

    /** A parent drawn by tournament among the survivors. */
    Individual pick(List<Ranked> parents, Rng rng);

    /** NSGA-II: fill by fronts, cut the last front by crowding distance. */
    static Selection nsga2() {
        return new Selection() {
            @Override
            public List<Ranked> survive(List<Individual> pool, int n) {
                List<double[]> points = new ArrayList<>();
                for (Individual i : pool) {
                    points.add(i.objectives());
                }
                int[] rank = Pareto.rank(points);
                int maxRank = 0;
                for (int r : rank) {
                    maxRank = Math.max(maxRank, r);
                }
                List<Ranked> out = new ArrayList<>();
                for (int level = 0; level <= maxRank && out.size() < n; level++) {
                    List<Integer> members = new ArrayList<>();
                    List<double[]> front = new ArrayList<>();
                    for (int i = 0; i < pool.size(); i++) {
                        if (rank[i] == level) {
                            members.add(i);
                            front.add(points.get(i));
                        }
                    }
                    double[] crowding = Pareto.crowdingDistance(front);
                    List<Integer> order = new ArrayList<>();
                    for (int k = 0; k < members.size(); k++) {
                        order.add(k);
                    }
                    // Most isolated first; ties keep pool order, so the cut is deterministic.
                    order.sort(Comparator.comparingDouble((Integer k) -> -crowding[k]).thenComparingInt(k -> k));
                    for (int k : order) {
                        if (out.size() == n) {
                            break;
                        }
                        out.add(new Ranked(pool.get(members.get(k)), level, crowding[k]));
                    }
                }
                return out;
            }

            @Override
            public Individual pick(List<Ranked> parents, Rng rng) {
                Ranked a = parents.get(rng.nextInt(parents.size()));
                Ranked b = parents.get(rng.nextInt(parents.size()));
                if (a.rank() != b.rank()) {
                    return (a.rank() < b.rank() ? a : b).individual();
                }
                if (a.crowding() != b.crowding()) {
                    return (a.crowding() > b.crowding() ? a : b).individual();
                }
                return (rng.nextBoolean() ? a : b).individual();
            }
        };
    }

    /** One objective: keep the best {@code n}; parents by tournaments of {@code size}. */
    static Selection singleObjective(int size) {
        return new Selection() {
            @Override
            public List<Ranked> survive(List<Individual> pool, int n) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < pool.size(); i++) {
                    order.add(i);
                }
                order.sort(Comparator.comparingDouble((Integer i) -> pool.get(i).objectives()[0]).thenComparingInt(i -> i));
                List<Ranked> out = new ArrayList<>();
                for (int k = 0; k < Math.min(n, order.size()); k++) {
                    out.add(new Ranked(pool.get(order.get(k)), k, 0));
                }
                return out;
            }

            @Override
            public Individual pick(List<Ranked> parents, Rng rng) {
                Ranked best = null;
                for (int t = 0; t < size; t++) {
                    Ranked r = parents.get(rng.nextInt(parents.size()));
                    if (best == null || r.rank() < best.rank()) {
                        best = r;
                    }
                }
                return best.individual();
            }
        };
    }
}
