package io.finegrained.search.genes;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * PruneEA's gene: one 0/1 keep-mask per channel group ({@code widths}), each keeping at least one
 * channel. Group by group: uniform crossover and bit flips inside the mask, then {@link KeepOne}
 * (a mask left empty gets one random channel back). The first population's stratum is the keep
 * ratio, so it spans small to full networks; a random value keeps each channel with probability 1/2.
 */
public record MaskList(List<Integer> widths) implements Sampler<List<List<Integer>>> {

    public MaskList {
        widths = List.copyOf(widths);
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("a channel group needs a width of at least 1, got " + widths);
            }
        }
    }

    /** The gene of the keep-masks of channel groups of these widths. */
    public static TypedGene<List<List<Integer>>> gene(String key, List<Integer> widths) {
        MaskList masks = new MaskList(widths);
        KeepOne keepOne = new KeepOne();
        Codec<List<List<Integer>>> codec = Codec.of(MaskList::masksOf, masks::read);
        return new TypedGene<>(key, masks.widths.stream().mapToInt(Integer::intValue).sum(),
                "channel keep-masks of widths " + masks.widths, codec, masks,
                Crossover.eachEntry(Crossover.<Integer>uniform().andThen(keepOne)),
                Mutation.eachEntry(Mutation.bitFlips().andThen(keepOne)));
    }

    private static List<List<Integer>> masksOf(Object value) {
        List<List<Integer>> out = new ArrayList<>();
        for (Object m : (List<?>) value) {
            out.add(Codec.ints(m));
        }
        return List.copyOf(out);
    }

    private List<List<Integer>> read(Object raw) {
        if (!(raw instanceof List<?> list) || list.size() != widths.size()) {
            throw new IllegalArgumentException("expected " + widths.size() + " channel masks of widths " + widths + ", got " + raw);
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int g = 0; g < widths.size(); g++) {
            if (!(list.get(g) instanceof List<?> mask) || mask.size() != widths.get(g)) {
                throw new IllegalArgumentException("mask " + g + " must hold " + widths.get(g) + " zeros and ones, got " + list.get(g));
            }
            List<Integer> bits = new ArrayList<>();
            for (Object o : mask) {
                if (!(o instanceof Number n) || n.doubleValue() != 0 && n.doubleValue() != 1) {
                    throw new IllegalArgumentException("mask " + g + " holds only 0 and 1, got " + mask);
                }
                bits.add(n.intValue());
            }
            if (!bits.contains(1)) {
                throw new IllegalArgumentException("mask " + g + " keeps no channel");
            }
            out.add(List.copyOf(bits));
        }
        return List.copyOf(out);
    }

    private List<List<Integer>> withKeepRatio(RandomGenerator rng, double keep) {
        List<List<Integer>> out = new ArrayList<>(widths.size());
        for (int w : widths) {
            out.add(KeepOne.repair(Bits.withDensity(rng, w, keep), rng));
        }
        return List.copyOf(out);
    }

    @Override
    public List<List<Integer>> design(RandomGenerator rng, double stratum) {
        return withKeepRatio(rng, stratum);
    }

    @Override
    public List<List<Integer>> random(RandomGenerator rng) {
        return withKeepRatio(rng, 0.5);
    }
}
