package io.finegrained.search.genes;

import io.finegrained.space.Domain;

/**
 * FLOAT and FLOAT_EXP: a real in [low, high], evolved at its position in [0, 1] (log-scaled for
 * FLOAT_EXP, so SBX and mutation act on orders of magnitude). The first population takes the
 * value at its stratum; a random value is a uniform position.
 */
public record Real(double low, double high, boolean log) implements UnitScale<Double> {

    /** The gene of a real parameter: SBX, polynomial mutation with the mutation rate. */
    public static TypedGene<Double> gene(String key, Domain.FloatRange domain) {
        Real real = new Real(domain.low(), domain.high(), domain.log());
        // Every real recombines when the pair does (Deb's code leaves each variable alone with
        // probability 1/2): with a budget of a few generations, moving the whole genome per child
        // converges faster, and measured no worse on any ZDT problem (docs/search-algorithms.md).
        return new TypedGene<>(key, 1, domain.typeName() + " [" + real.low + ", " + real.high + "]",
                Codec.of(Double.class, domain), real.sampler(rng -> real.fromUnit(rng.nextDouble())), real.crossover(new Sbx()),
                Mutation.withRate(real.mutation(new PolynomialMutation())));
    }

    @Override
    public double toUnit(Double v) {
        if (high == low) {
            return 0;
        }
        return log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (high - low);
    }

    @Override
    public Double fromUnit(double u) {
        if (u <= 0 || u >= 1) {
            return u <= 0 ? low : high;
        }
        double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
        return Math.min(high, Math.max(low, v));
    }
}
