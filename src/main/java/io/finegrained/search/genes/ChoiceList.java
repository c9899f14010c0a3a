package io.finegrained.search.genes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * QuantEA's gene: a list of {@code length} entries, each one of {@code choices} (ascending), the
 * bit width per quantizable layer. Uniform crossover per layer; mutation, per layer with the
 * mutation rate, to another width. The first population's stratum tilts every layer towards wide
 * (near 1) or narrow widths, so it spans the bit-ops axis: a layer's index ~ Binomial(k - 1, stratum).
 */
public record ChoiceList(int length, List<Integer> choices) implements Sampler<List<Integer>> {

    public ChoiceList {
        choices = List.copyOf(choices);
    }

    /** The gene of a list of {@code length} values from {@code choices}. */
    public static TypedGene<List<Integer>> gene(String key, int length, List<Integer> choices) {
        ChoiceList list = new ChoiceList(length, choices);
        Mutation<List<Integer>> mutation = list.choices.size() < 2 ? Mutation.none()
                : Mutation.eachEntry(Mutation.withRate(new OtherValue<>(list.choices)));
        return new TypedGene<>(key, length, "a list of " + length + " bit widths from " + list.choices,
                Codec.of(Codec::ints, list::read), list, Crossover.uniform(), mutation);
    }

    private List<Integer> read(Object raw) {
        if (!(raw instanceof List<?> entries) || entries.size() != length) {
            throw new IllegalArgumentException("expected a list of " + length + " bit widths, got " + raw);
        }
        List<Integer> out = new ArrayList<>(length);
        for (Object o : entries) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || !choices.contains(n.intValue())) {
                throw new IllegalArgumentException("expected bit widths from " + choices + ", got " + raw);
            }
            out.add(n.intValue());
        }
        return List.copyOf(out);
    }

    @Override
    public List<Integer> design(RandomGenerator rng, double stratum) {
        List<Integer> out = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            int index = 0;
            for (int t = 1; t < choices.size(); t++) {
                index += rng.nextDouble() < stratum ? 1 : 0;
            }
            out.add(choices.get(index));
        }
        return List.copyOf(out);
    }

    @Override
    public List<Integer> random(RandomGenerator rng) {
        List<Integer> out = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            out.add(choices.get(rng.nextInt(choices.size())));
        }
        return List.copyOf(out);
    }
}
