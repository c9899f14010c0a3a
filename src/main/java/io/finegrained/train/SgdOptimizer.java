package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.HashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} semantics (momentum,
 * dampening 0, optional Nesterov, L2 weight decay added to the gradient):
 * <pre>
 *   d = g + wd * w;   buf = momentum * buf + d;   d = nesterov ? d + momentum * buf : buf;   w -= lr * d
 * </pre>
 * DJL's own {@code Sgd} has no Nesterov and keeps its momentum buffers detached from every
 * manager (freed only by the garbage collector, which never sees native memory); here the
 * buffers live in the manager given at construction, closed with the trial.
 */
final class SgdOptimizer extends Optimizer implements StatefulOptimizer {
    private final ParameterTracker learningRate;
    private final float momentum;
    private final boolean nesterov;
    private final NDManager stateManager;
    private final Map<String, NDArray> buffers = new HashMap<>();

    SgdOptimizer(ParameterTracker learningRate, float momentum, boolean nesterov, float weightDecay, NDManager stateManager) {
        this(learningRate, momentum, nesterov, weightDecay, stateManager, 0);
    }

    /** @param stepsDone optimizer steps already taken (a training continued from a checkpoint) */
    SgdOptimizer(ParameterTracker learningRate, float momentum, boolean nesterov, float weightDecay, NDManager stateManager,
                 int stepsDone) {
        super(new Builder().optWeightDecays(weightDecay).optBeginNumUpdate(stepsDone));
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.stateManager = stateManager;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        float lr = learningRate.getNewValue(parameterId, updateCount(parameterId));
        float decay = getWeightDecay();
        // DJL's parameter server hands in a copy of the gradient: update it in place; close temporaries.
        if (decay != 0f) {
            try (NDArray scaled = weight.mul(decay)) {
                grad.addi(scaled);
            }
        }
        NDArray direction = grad;
        if (momentum != 0f) {
            NDArray buf = buffers.computeIfAbsent(parameterId, k -> {
                NDArray zeros = weight.zerosLike();
                zeros.attach(stateManager);
                return zeros;
            });
            buf.muli(momentum).addi(grad);
            if (nesterov) {
                try (NDArray ahead = buf.mul(momentum)) {
                    grad.addi(ahead);
                }
            } else {
                direction = buf;
            }
        }
        try (NDArray step = direction.mul(lr)) {
            weight.subi(step);
        }
        clearGradient(weight);
    }

    @Override
    public java.util.List<NDArray> state(String parameterId) {
        NDArray buf = buffers.get(parameterId);
        return buf == null ? java.util.List.of() : java.util.List.of(buf);
    }

    @Override
    public void restore(String parameterId, NDArray weight, java.util.List<NDArray> saved) {
        if (!saved.isEmpty()) {
            buffers.put(parameterId, StatefulOptimizer.copyLike(weight, saved.get(0), stateManager));
        }
    }

    /** libtorch accumulates gradients across backward passes: zero the weight's own gradient. */
    static void clearGradient(NDArray weight) {
        try (NDArray accumulated = weight.getGradient()) {
            accumulated.muli(0f);
        }
    }

    /** Only to carry the weight decay into {@link Optimizer}'s constructor. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
