package io.finegrained.space;

import java.util.List;

/**
 * The built-in containers the expander combines children with: {@code Sequential} (and the root
 * {@code FineGrainedSpace}, which is one) whose {@code modules} lists ids that are also its keys,
 * and {@code Residual}, which adds {@code body(x)} and {@code shortcut(x)} (identity when absent).
 */
public final class ContainerType implements ModuleType {
    public static final ContainerType SEQUENTIAL = new ContainerType("Sequential", true,
            "Applies the modules listed in 'modules' one after the other; each id is also a key holding that module.");
    public static final ContainerType FINE_GRAINED_SPACE = new ContainerType("FineGrainedSpace", true,
            "The root of a search space: a Sequential of the top-level modules.");
    public static final ContainerType RESIDUAL = new ContainerType("Residual", false,
            "Adds body(x) and shortcut(x); the shortcut is the identity when absent. Both outputs must have the same shape.");

    private final String name;
    private final boolean sequential;
    private final String doc;

    private ContainerType(String name, boolean sequential, String doc) {
        this.name = name;
        this.sequential = sequential;
        this.doc = doc;
    }

    public boolean isSequential() {
        return sequential;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String doc() {
        return doc;
    }

    @Override
    public List<ParamDef> parameters() {
        if (this == FINE_GRAINED_SPACE) {
            return List.of(ParamDef.required("modules", ParamKind.STRING_LIST, "the ids of the children, in forward order"),
                    ParamDef.optional("define", ParamKind.MAP, "composite module types written in YAML (see YamlComposite)"));
        }
        if (sequential) {
            return List.of(ParamDef.required("modules", ParamKind.STRING_LIST, "the ids of the children, in forward order"));
        }
        return List.of(ParamDef.required("body", ParamKind.MODULE, "the residual branch"),
                ParamDef.optional("shortcut", ParamKind.MODULE, "the shortcut branch; the identity when absent"));
    }
}
