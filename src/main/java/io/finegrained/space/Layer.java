package io.finegrained.space;

import java.util.List;

/**
 * One node of an expanded network: a module with the shapes that flow through it and its counts.
 * Composites are expanded away: a layer is an operator, a sequence of named children, or a
 * residual (children {@code body} and {@code shortcut}, outputs added), while {@link #type()}
 * still names the module the user wrote ({@code ResNet}, {@code BasicBlock}).
 *
 * @param path the dotted path from the root ({@code resnet.layers.3.add.body.conv1}), "" for the root
 * @param name the last part of the path (a YAML id, a parameter name, or a repetition index)
 * @param type the module type the description names
 * @param structure how the children combine
 * @param spec the module's description, defaults filled in (for an operator: what to build)
 * @param input the shape coming in
 * @param output the shape going out
 * @param params trainable parameters, or {@link TensorShape#UNKNOWN}
 * @param macs multiply-accumulates per sample, or {@link TensorShape#UNKNOWN}
 * @param children the sub-layers in forward order (empty for an operator)
 * @param role PLAIN, or STEM when inside a stem, or QUANT / PRUNE for a process module (its type's role)
 */
public record Layer(String path, String name, String type, Structure structure, ModuleSpec spec,
                    TensorShape input, TensorShape output, long params, long macs, List<Layer> children,
                    ModuleType.Role role) {

    public Layer {
        children = List.copyOf(children);
    }

    /** How a layer's children make its output. */
    public enum Structure {
        /** A primitive: built by an {@code io.finegrained.nn.BlockFactory}. */
        OPERATOR,
        /** Children applied one after the other. */
        SEQUENTIAL,
        /** {@code body(x) + shortcut(x)}; the shortcut is an {@code Identity} operator when none is needed. */
        RESIDUAL
    }

    /** The child of that name, or null. */
    public Layer child(String childName) {
        for (Layer c : children) {
            if (c.name.equals(childName)) {
                return c;
            }
        }
        return null;
    }

    /** Every operator below (or this one), in forward order. */
    public List<Layer> operators() {
        List<Layer> out = new java.util.ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(Layer layer, List<Layer> out) {
        if (layer.structure == Structure.OPERATOR) {
            out.add(layer);
        }
        for (Layer c : layer.children) {
            collect(c, out);
        }
    }
}
