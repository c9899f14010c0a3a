package io.finegrained.search;

import io.finegrained.search.genes.Bits;
import io.finegrained.search.genes.Choice;
import io.finegrained.search.genes.ChoiceList;
import io.finegrained.search.genes.FixedOnes;
import io.finegrained.search.genes.Int;
import io.finegrained.search.genes.MaskList;
import io.finegrained.search.genes.Pair;
import io.finegrained.search.genes.Real;
import io.finegrained.search.genes.TypedGene;
import io.finegrained.space.Domain;
import java.util.List;

/**
 * The genes the algorithms use, made from the typed families of {@link io.finegrained.search.genes}
 * and seen by the genome through {@link Gene}: real-coded SBX and polynomial mutation for FLOAT
 * (in log space for FLOAT_EXP) and INT, uniform crossover and resampling for categories, bit flips
 * or count-keeping moves for binary codes, and the list genes of QuantEA (a bit width per layer)
 * and PruneEA (a keep-mask per channel group, never empty).
 */
public final class Genes {
    private Genes() {
    }

    /**
     * The gene of an open parameter.
     *
     * @param keepOnes keep the number of ones of a binary code written without {@code ones}
     *     (the seed's shorthand) at the count of its default, as BackboneNas does
     */
    public static Gene of(String key, Domain domain, boolean keepOnes) {
        if (domain instanceof Domain.FloatRange f) {
            return view(Real.gene(key, f));
        }
        if (domain instanceof Domain.IntRange i) {
            return view(Int.gene(key, i));
        }
        if (domain instanceof Domain.Category c) {
            return view(Choice.gene(key, c.values(), domain));
        }
        if (domain instanceof Domain.Bool) {
            return view(Choice.gene(key, List.of(false, true), domain));
        }
        Domain.BinaryCode code = (Domain.BinaryCode) domain;
        Integer ones = code.ones();
        if (ones == null && keepOnes && code.defaultCode() != null) {
            ones = code.defaultCode().stream().mapToInt(Integer::intValue).sum();
        }
        return ones == null ? view(Bits.gene(key, code)) : view(FixedOnes.gene(key, code, ones));
    }

    /** QuantEA's gene: {@code length} entries, each one of {@code choices} (ascending bit widths). */
    public static Gene choiceList(String key, int length, List<Integer> choices) {
        return view(ChoiceList.gene(key, length, choices));
    }

    /** PruneEA's gene: one keep-mask per channel group of these widths, none ever empty. */
    public static Gene maskList(String key, List<Integer> widths) {
        return view(MaskList.gene(key, widths));
    }

    /** The genome's view of a typed gene: values as the candidate map holds them, through its codec. */
    public static <T> Gene view(TypedGene<T> gene) {
        return new View<>(gene);
    }

    private record View<T>(TypedGene<T> gene) implements Gene {
        @Override
        public String key() {
            return gene.key();
        }

        @Override
        public int variables() {
            return gene.variables();
        }

        @Override
        public Object design(Rng rng, double design) {
            return gene.codec().encode(gene.design(rng, design));
        }

        @Override
        public Object random(Rng rng) {
            return gene.codec().encode(gene.random(rng));
        }

        @Override
        public Object[] crossover(Object a, Object b, Rng rng, Variation variation) {
            Pair<T> c = gene.crossover(gene.codec().decode(a), gene.codec().decode(b), rng, variation);
            return new Object[] {gene.codec().encode(c.first()), gene.codec().encode(c.second())};
        }

        @Override
        public Object mutate(Object value, Rng rng, Variation variation) {
            return gene.codec().encode(gene.mutate(gene.codec().decode(value), rng, variation));
        }

        @Override
        public Object canonical(Object value) {
            return gene.codec().encode(gene.codec().read(value));
        }

        @Override
        public String describe() {
            return gene.description();
        }
    }
}
