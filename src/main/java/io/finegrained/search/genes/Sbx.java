package io.finegrained.search.genes;

import java.util.random.RandomGenerator;

/**
 * Simulated binary crossover on two positions in [0, 1] (Deb and Agrawal 1995, the bounded form
 * of Deb's NSGA-II code), with the distribution index {@link Rates#etaCrossover}. Equal parents
 * are returned without a draw; otherwise one draw sets the spread and one more the children's order.
 */
public final class Sbx implements Crossover<Double> {
    private static final double EPS = 1e-14;

    @Override
    public Pair<Double> cross(Double a, Double b, RandomGenerator rng, Rates rates) {
        double p1 = a;
        double p2 = b;
        if (Math.abs(p1 - p2) <= EPS) {
            return new Pair<>(p1, p2);
        }
        double eta = rates.etaCrossover();
        double y1 = Math.min(p1, p2);
        double y2 = Math.max(p1, p2);
        double u = rng.nextDouble();
        double c1 = 0.5 * ((y1 + y2) - spread(1 + 2 * y1 / (y2 - y1), u, eta) * (y2 - y1));
        double c2 = 0.5 * ((y1 + y2) + spread(1 + 2 * (1 - y2) / (y2 - y1), u, eta) * (y2 - y1));
        c1 = clamp(c1);
        c2 = clamp(c2);
        return rng.nextBoolean() ? new Pair<>(c2, c1) : new Pair<>(c1, c2);
    }

    private static double spread(double beta, double u, double eta) {
        double alpha = 2 - Math.pow(beta, -(eta + 1));
        return u <= 1 / alpha ? Math.pow(u * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
    }

    /** A position pulled back into [0, 1]. */
    static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
