package io.finegrained.search.genes;

import io.finegrained.space.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How a gene's typed values sit in a candidate's value map. The map holds each value in its
 * canonical Java form ({@code Double}, {@code Long}, {@code List<Integer>}, ...: the candidate's
 * values are its genome, so no decoding step can disagree with what is trained); a typed value
 * is that same immutable object, so {@link #encode} hands it over as it is and {@link #decode}
 * only types it. {@link #read} is the checked way in, for values read back from a journal.
 */
public interface Codec<T> {

    /** The typed view of a value the candidate map holds (already canonical). */
    T decode(Object value);

    /** The value the candidate map holds for a typed value. */
    default Object encode(T value) {
        return value;
    }

    /**
     * The canonical typed value of a value read back from a journal or JSON (an {@code Integer}
     * for a {@code Long}, and so on), or {@link IllegalArgumentException} saying why it does not fit.
     */
    T read(Object raw);

    /** A codec from two functions. */
    static <T> Codec<T> of(Function<Object, T> decode, Function<Object, T> read) {
        return new Codec<>() {
            @Override
            public T decode(Object value) {
                return decode.apply(value);
            }

            @Override
            public T read(Object raw) {
                return read.apply(raw);
            }
        };
    }

    /** Values of one Java type, checked by their domain. */
    static <T> Codec<T> of(Class<T> type, Domain domain) {
        return of(type::cast, raw -> type.cast(domain.canonical(raw)));
    }

    /** A list of whole numbers (bits, bit widths) as {@code Integer}s, immutable. */
    static List<Integer> ints(Object value) {
        List<?> list = (List<?>) value;
        List<Integer> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add(((Number) o).intValue());
        }
        return List.copyOf(out);
    }
}
