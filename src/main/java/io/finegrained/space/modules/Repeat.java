package io.finegrained.space.modules;

import static io.finegrained.space.ParamKind.INT;
import static io.finegrained.space.ParamKind.ITEMS;
import static io.finegrained.space.ParamKind.MODULE;

import io.finegrained.space.CompositeType;
import io.finegrained.space.ModuleSpec;
import io.finegrained.space.Origin;
import io.finegrained.space.ParamDef;
import io.finegrained.space.SpecException;
import io.finegrained.space.TensorShape;
import java.util.List;
import java.util.Map;

/**
 * {@code num_reps} copies of the module {@code ref}, the i-th taking the i-th entry of every
 * {@code items} list as the parameter of that name; children are named 0, 1, ... The seed's
 * {@code Repeat(num_reps, items, ref)}.
 */
public final class Repeat extends AbstractModule implements CompositeType {
    public Repeat() {
        super("Repeat", "num_reps copies of the module ref in sequence (named 0, 1, ...); copy i takes items[k][i] as its parameter k.",
                ParamDef.optional("num_reps", INT, "the number of copies; the length of the items lists when absent").positive(),
                ParamDef.optional("items", ITEMS, "per-copy parameters: a map from a parameter of ref to a list of num_reps values"),
                ParamDef.required("ref", MODULE, "the module to repeat (its own parameters are shared by every copy)"));
    }

    @Override
    public ModuleSpec expand(ModuleSpec spec, TensorShape input) {
        Map<String, List<Long>> items = spec.has("items") ? spec.getItems("items") : Map.of();
        int n = reps(spec, items, "num_reps", "items");
        ModuleSpec ref = spec.getModule("ref");
        Specs.Seq seq = Specs.sequential();
        for (int i = 0; i < n; i++) {
            ModuleSpec.Builder b = ref.toBuilder();
            for (Map.Entry<String, List<Long>> e : items.entrySet()) {
                Origin o = spec.origin("items." + e.getKey());
                b.set(e.getKey(), e.getValue().get(i), o == null ? null : o.element(i));
            }
            seq.add(Integer.toString(i), b.build());
        }
        return seq.build();
    }

    /**
     * The number of repetitions: {@code num_reps} when written, and every items list must have
     * that length; else the lists' common length. The error names the list that differs.
     */
    public static int reps(ModuleSpec spec, Map<String, List<Long>> items, String numRepsKey, String itemsKey) {
        if (spec.has(numRepsKey)) {
            int n = spec.getInt(numRepsKey);
            for (Map.Entry<String, List<Long>> e : items.entrySet()) {
                if (e.getValue().size() != n) {
                    throw new SpecException(itemsKey + "." + e.getKey(), itemsKey + "." + e.getKey() + " has " + e.getValue().size()
                            + " entries but " + numRepsKey + " is " + n);
                }
            }
            return n;
        }
        if (items.isEmpty()) {
            throw new SpecException(numRepsKey, "give " + numRepsKey + " or " + itemsKey);
        }
        // The length most lists share is the reference: name the list that differs from it.
        Map<Integer, Long> counts = new java.util.HashMap<>();
        items.values().forEach(l -> counts.merge(l.size(), 1L, Long::sum));
        int common = items.values().iterator().next().size();
        long best = -1;
        for (List<Long> l : items.values()) {
            if (counts.get(l.size()) > best) {
                best = counts.get(l.size());
                common = l.size();
            }
        }
        String reference = null;
        for (Map.Entry<String, List<Long>> e : items.entrySet()) {
            if (e.getValue().size() == common && reference == null) {
                reference = e.getKey();
            }
        }
        for (Map.Entry<String, List<Long>> e : items.entrySet()) {
            if (e.getValue().size() != common) {
                throw new SpecException(itemsKey + "." + e.getKey(), itemsKey + "." + e.getKey() + " has " + e.getValue().size()
                        + " entries but " + itemsKey + "." + reference + " has " + common);
            }
        }
        if (common == 0) {
            throw new SpecException(itemsKey, itemsKey + " lists are empty");
        }
        return common;
    }
}
