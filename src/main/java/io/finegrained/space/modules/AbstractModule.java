package io.finegrained.space.modules;

import io.finegrained.space.ModuleType;
import io.finegrained.space.ParamDef;
import java.util.List;

/** Name, doc, parameters and role held in fields: the boilerplate of a {@link ModuleType}. */
public abstract class AbstractModule implements ModuleType {
    private final String name;
    private final String doc;
    private final List<ParamDef> parameters;
    private final Role role;

    protected AbstractModule(String name, String doc, Role role, ParamDef... parameters) {
        this.name = name;
        this.doc = doc;
        this.role = role;
        this.parameters = List.of(parameters);
    }

    protected AbstractModule(String name, String doc, ParamDef... parameters) {
        this(name, doc, Role.PLAIN, parameters);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String doc() {
        return doc;
    }

    @Override
    public final List<ParamDef> parameters() {
        return parameters;
    }

    @Override
    public final Role role() {
        return role;
    }

    @Override
    public String toString() {
        return name;
    }
}
