package io.finegrained.search.genes;

import io.finegrained.space.Domain;

/**
 * INT: an integer in [low, high], evolved as a real: value v owns the slice [v, v + 1) of the
 * stretched interval, so every integer has the same share and SBX / polynomial steps scale with
 * the range. A random value is drawn as an integer directly.
 */
public record Int(long low, long high) implements UnitScale<Long> {

    /** The gene of an integer parameter: SBX, polynomial mutation with the mutation rate. */
    public static TypedGene<Long> gene(String key, Domain.IntRange domain) {
        Int range = new Int(domain.low(), domain.high());
        return new TypedGene<>(key, 1, "INT [" + range.low + ", " + range.high + "]", Codec.of(Long.class, domain),
                range.sampler(rng -> range.low + rng.nextLong(range.high - range.low + 1)), range.crossover(new Sbx()),
                Mutation.withRate(range.mutation(new PolynomialMutation())));
    }

    private double count() {
        return (double) high - low + 1;
    }

    @Override
    public double toUnit(Long v) {
        return (v - low + 0.5) / count();
    }

    @Override
    public Long fromUnit(double u) {
        long v = low + (long) Math.floor(u * count());
        return Math.min(high, Math.max(low, v));
    }
}
