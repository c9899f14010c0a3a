package io.finegrained.space.modules;

import io.finegrained.space.ModuleType;
import java.util.List;

/** The module types this package provides (VariantLayer arrives through ServiceLoader instead). */
public final class BuiltInModules {
    private BuiltInModules() {
    }

    public static List<ModuleType> all() {
        return List.of(
                new ResNets.ResNet(), new ResNets.ResNetVariant(),
                new Stems.InitialBlock(), new Stems.SmallInputInitialBlock(),
                new Blocks.BasicBlock(), new Blocks.BottleneckBlock(),
                new Layers.BasicLayer(), new Repeat(), new Layers.LinearClassificationHead(),
                new Operators.Conv2d(), new Operators.BatchNorm2d(), new Operators.ReLU(), new Operators.MaxPool2d(),
                new Operators.AdaptiveAvgPool2d(), new Operators.View(), new Operators.Linear(), new Operators.Identity(),
                new Operators.Quant(), new Operators.Prune());
    }
}
