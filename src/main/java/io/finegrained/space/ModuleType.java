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

    /** What the module is for the counting rules (ARCHITECTURE.md): plain, a stem, or a process module. */
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

    /** How the counting rules treat a module's convolutions. */
    enum Role {
        /** An ordinary module. */
        PLAIN,
        /** A network's stem: its convolutions stay at full precision (not quantizable). */
        STEM,
        /**
         * A process module ({@code Quant}, {@code Prune}): the identity in the network it follows;
         * it says how that network is to be transformed.
         */
        PROCESS
    }
}
