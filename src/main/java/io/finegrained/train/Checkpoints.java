package io.finegrained.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Taking a training's state into a {@link TrainingCheckpoint} and putting it back. */
final class Checkpoints {
    private Checkpoints() {
    }

    static TrainingCheckpoint capture(TrainingLoop.State state, TrainerConfig cfg, Block block, StatefulOptimizer optimizer) {
        Map<String, byte[]> parameters = new LinkedHashMap<>();
        Map<String, List<byte[]>> optimizerState = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.put(p.getKey(), encode(p.getValue().getArray()));
            List<NDArray> arrays = optimizer.state(p.getValue().getId());
            if (!arrays.isEmpty()) {
                List<byte[]> encoded = new ArrayList<>();
                arrays.forEach(a -> encoded.add(encode(a)));
                optimizerState.put(p.getKey(), encoded);
            }
        }
        return new TrainingCheckpoint(state.epoch, state.step, cfg.seed(), cfg.epochs(), TrainingCheckpoint.randomBytes(state.random),
                state.order, state.window, parameters, optimizerState);
    }

    /**
     * Copies the checkpoint's values into the block's freshly initialized parameters (in place,
     * so they keep the layout initialization gave them: channels-last, which loading arrays from
     * a file would lose) and into the optimizer; returns the loop's state to continue from.
     */
    static TrainingLoop.State restore(TrainingCheckpoint from, Block block, StatefulOptimizer optimizer, Model model) {
        try (NDManager read = model.getNDManager().newSubManager()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                byte[] bytes = from.parameters().get(p.getKey());
                if (bytes == null) {
                    throw new IllegalArgumentException("the checkpoint has no parameter " + p.getKey()
                            + ": it is of another network");
                }
                NDArray weight = p.getValue().getArray();
                NDArray saved = read.decode(bytes);
                if (!saved.getShape().equals(weight.getShape())) {
                    throw new IllegalArgumentException("the checkpoint's " + p.getKey() + " is " + saved.getShape() + ", the network's "
                            + weight.getShape() + ": it is of another network");
                }
                weight.muli(0f).addi(saved); // exactly the saved values (0 + x = x), the strides kept
                List<byte[]> state = from.optimizer().get(p.getKey());
                if (state != null) {
                    List<NDArray> arrays = new ArrayList<>();
                    state.forEach(b -> arrays.add(read.decode(b)));
                    optimizer.restore(p.getValue().getId(), weight, arrays);
                }
            }
        }
        return from.loopState();
    }

    /** DJL's encoding of the array's values in logical order, whatever its strides. */
    private static byte[] encode(NDArray array) {
        try (NDArray flat = array.reshape(-1); NDArray dense = flat.reshape(array.getShape())) {
            return dense.encode();
        }
    }
}
