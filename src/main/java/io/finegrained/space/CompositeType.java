package io.finegrained.space;

/**
 * A module defined by other modules: given its parameter values and the shape that comes in,
 * it returns the description it stands for (usually a {@code Sequential} of named children).
 * The expander then expands that in turn, so composites may use any registered type, composites
 * included.
 *
 * <p>{@link #expand} sees its spec with defaults filled in and every value checked against its
 * {@link ParamDef}. It must be pure (no I/O, no engine): it runs when a space is loaded, for
 * every candidate, and on executors. To reject values, throw {@link SpecException} naming the
 * offending parameter; the expander reports it at the place the user wrote it. Copy values
 * into children with {@link ModuleSpec.Builder#copy} / {@link ModuleSpec.Builder#derived} so
 * later errors are located too. A width the user wrote must be checked against
 * {@link TensorShape#channels()} of the input when that is known; absent widths are inferred.
 */
public interface CompositeType extends ModuleType {

    /**
     * @param spec the module's description, defaults filled in
     * @param input the shape that comes in; dimensions may be {@link TensorShape#UNKNOWN}
     * @return the description this module stands for
     */
    ModuleSpec expand(ModuleSpec spec, TensorShape input);
}
