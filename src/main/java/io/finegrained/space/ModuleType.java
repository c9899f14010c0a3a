package io.finegrained.space;

import java.util.List;
import java.util.Optional;

/**
 * A registered kind of module: its name as written after {@code type:}, its declared parameters
 * and a doc string. A type is either a {@link CompositeType} (it expands into other modules) or
 * an {@link OperatorType} (a primitive with its own shape rule and counts); the containers
 * {@code Sequential}, {@code FineGrainedSpace} and {@code Residual} are built in.
 *
 * <p>Implementations must be stateless and thread-safe. A user adds a type without editing the
 * project: implement {@link CompositeType} in a jar, list the class in
 * {@code META-INF/services/io.finegrained.space.ModuleType}, put the jar on the classpath
 * (see docs/search-space.md). An operator also needs a DJL block: see
 * {@code io.finegrained.nn.BlockFactory}.
 */
public interface ModuleType {

    /** The name written after {@code type:}. */
    String name();

    /** One sentence on what the module is. */
    String doc();

    /** The parameters, in the order they are written back ({@link ModuleSpec#toYaml}). */
    List<ParamDef> parameters();

    /** What the module is for the counting rules (ARCHITECTURE.md): plain, a stem, or a process module (quant, prune). */
    default Role role() {
        return Role.PLAIN;
    }

    /** The declared parameter of that name. */
    default Optional<ParamDef> parameter(String name) {
        return parameters().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every parameter with its kind, default and doc, one per line (like Spark ML's explainParams). */
    default String explainParams() {
        StringBuilder sb = new StringBuilder(name()).append(": ").append(doc()).append('\n');
        for (ParamDef p : parameters()) {
            sb.append("  ").append(p.explain()).append('\n');
        }
        return sb.toString();
    }

    /**
     * What a module is to the counting rules and to the network built from it. A type takes a
     * role by returning it from {@link #role()}: a user's module may be a stem or a process
     * module exactly as the built-ins are; nothing looks at type names.
     */
    enum Role {
        /** An ordinary module. */
        PLAIN,
        /** A network's stem: its convolutions stay at full precision (not quantizable). */
        STEM,
        /**
         * A quantization process module (the built-in {@code Quant}): the identity where it stands;
         * its {@value #WEIGHT_BITS} and {@value #ACTIVATION_BITS} lists give one bit width per
         * quantizable layer of the network before it.
         */
        QUANT,
        /**
         * A pruning process module (the built-in {@code Prune}): the identity where it stands; its
         * {@value #KEEP_MASK} holds one 0/1 keep-mask per prunable channel group.
         */
        PRUNE;

        /** The integer list of weight bit widths a {@link #QUANT} module declares. */
        public static final String WEIGHT_BITS = "nbit_w_list";
        /** The integer list of activation bit widths a {@link #QUANT} module declares. */
        public static final String ACTIVATION_BITS = "nbit_a_list";
        /** The 0/1 matrix of keep-masks a {@link #PRUNE} module declares. */
        public static final String KEEP_MASK = "chn_mask";

        /** Whether the module transforms the network before it rather than being part of it. */
        public boolean isProcess() {
            return this == QUANT || this == PRUNE;
        }

        /** The parameters a module of this role must declare (what the counts, the builder and the search read). */
        public List<String> parameters() {
            return switch (this) {
                case QUANT -> List.of(WEIGHT_BITS, ACTIVATION_BITS);
                case PRUNE -> List.of(KEEP_MASK);
                default -> List.of();
            };
        }
    }
}
