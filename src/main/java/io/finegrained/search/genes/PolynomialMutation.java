package io.finegrained.search.genes;

import java.util.random.RandomGenerator;

/**
 * Polynomial mutation of a position in [0, 1] (Deb's bounded form), with the distribution index
 * {@link Rates#etaMutation}: always moves, one draw; gate it with {@link Mutation#withRate}.
 */
public final class PolynomialMutation implements Mutation<Double> {

    @Override
    public Double mutate(Double value, RandomGenerator rng, Rates rates) {
        double y = value;
        double eta = rates.etaMutation();
        double u = rng.nextDouble();
        double power = 1 / (eta + 1);
        double dq;
        if (u < 0.5) {
            double xy = 1 - y;
            double val = 2 * u + (1 - 2 * u) * Math.pow(xy, eta + 1);
            dq = Math.pow(val, power) - 1;
        } else {
            double xy = y;
            double val = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(xy, eta + 1);
            dq = 1 - Math.pow(val, power);
        }
        return Sbx.clamp(y + dq);
    }
}
