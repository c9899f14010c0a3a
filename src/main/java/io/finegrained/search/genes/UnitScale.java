package io.finegrained.search.genes;

import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A gene's values laid on [0, 1], where the real-coded operators work: a codec between a value
 * and its position, through which {@link Sbx} and {@link PolynomialMutation} serve reals
 * (linear or log-scaled) and integers alike.
 */
public interface UnitScale<V> {

    /** The position of a value in [0, 1]. */
    double toUnit(V value);

    /** The value at a position in [0, 1] (ends included, inside the domain). */
    V fromUnit(double unit);

    /** A crossover on positions, as one on values: both parents mapped in, both children mapped out. */
    default Crossover<V> crossover(Crossover<Double> onUnit) {
        return (a, b, rng, rates) -> {
            Pair<Double> c = onUnit.cross(toUnit(a), toUnit(b), rng, rates);
            return new Pair<>(fromUnit(c.first()), fromUnit(c.second()));
        };
    }

    /** A mutation on positions, as one on values. */
    default Mutation<V> mutation(Mutation<Double> onUnit) {
        return (value, rng, rates) -> fromUnit(onUnit.mutate(toUnit(value), rng, rates));
    }

    /**
     * A sampler on this scale: the first population takes the value at its stratum (no draw), a
     * random value comes from {@code random}.
     */
    default Sampler<V> sampler(Function<RandomGenerator, V> random) {
        return new Sampler<>() {
            @Override
            public V design(RandomGenerator rng, double stratum) {
                return fromUnit(stratum);
            }

            @Override
            public V random(RandomGenerator rng) {
                return random.apply(rng);
            }
        };
    }
}
