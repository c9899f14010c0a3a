package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam with PyTorch's {@code torch.optim.Adam} semantics (bias-corrected moments, L2 weight
 * decay added to the gradient). Written here rather than taken from DJL because DJL's Adam keeps
 * its moment arrays detached from every manager, so each trial would leak them.
 */
final class AdamOptimizer extends Optimizer implements StatefulOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final ParameterTracker learningRate;
    private final NDManager stateManager;
    private final Map<String, NDArray[]> moments = new HashMap<>();

    AdamOptimizer(ParameterTracker learningRate, float weightDecay, NDManager stateManager) {
        this(learningRate, weightDecay, stateManager, 0);
    }

    /** @param stepsDone optimizer steps already taken (a training continued from a checkpoint) */
    AdamOptimizer(ParameterTracker learningRate, float weightDecay, NDManager stateManager, int stepsDone) {
        super(new Builder().optWeightDecays(weightDecay).optBeginNumUpdate(stepsDone));
        this.learningRate = learningRate;
        this.stateManager = stateManager;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float lr = learningRate.getNewValue(parameterId, t);
        float decay = getWeightDecay();
        if (decay != 0f) {
            try (NDArray scaled = weight.mul(decay)) {
                grad.addi(scaled);
            }
        }
        NDArray[] mv = moments.computeIfAbsent(parameterId, k -> {
            NDArray m = weight.zerosLike();
            NDArray v = weight.zerosLike();
            m.attach(stateManager);
            v.attach(stateManager);
            return new NDArray[] {m, v};
        });
        NDArray m = mv[0];
        NDArray v = mv[1];
        try (NDArray g1 = grad.mul(1f - BETA1)) {
            m.muli(BETA1).addi(g1);
        }
        try (NDArray g2 = grad.mul(grad)) {
            v.muli(BETA2).addi(g2.muli(1f - BETA2));
        }
        double correction1 = 1.0 - Math.pow(BETA1, t);
        double correction2 = 1.0 - Math.pow(BETA2, t);
        try (NDArray denominator = v.sqrt()) {
            denominator.divi((float) Math.sqrt(correction2)).addi(EPSILON);
            try (NDArray step = m.div(denominator)) {
                weight.subi(step.muli((float) (lr / correction1)));
            }
        }
        SgdOptimizer.clearGradient(weight);
    }

    @Override
    public java.util.List<NDArray> state(String parameterId) {
        NDArray[] mv = moments.get(parameterId);
        return mv == null ? java.util.List.of() : java.util.List.of(mv[0], mv[1]);
    }

    @Override
    public void restore(String parameterId, NDArray weight, java.util.List<NDArray> saved) {
        if (saved.size() == 2) {
            moments.put(parameterId, new NDArray[] {StatefulOptimizer.copyLike(weight, saved.get(0), stateManager),
                    StatefulOptimizer.copyLike(weight, saved.get(1), stateManager)});
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
