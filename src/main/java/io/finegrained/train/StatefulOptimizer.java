package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * An optimizer whose per-parameter state a checkpoint saves and restores. Its step count is not
 * here: it is restored through DJL's {@code beginNumUpdate} at construction, so the learning-rate
 * schedule and Adam's bias correction continue where they were.
 */
interface StatefulOptimizer {

    /** The parameter's state arrays (empty before its first update, or when it keeps none). */
    List<NDArray> state(String parameterId);

    /**
     * Sets the parameter's state to copies of {@code saved}, laid out like {@code weight} (as the
     * first update would have created them), in the optimizer's own manager.
     */
    void restore(String parameterId, NDArray weight, List<NDArray> saved);

    /** A zero array like the weight (its layout too) holding the values of {@code saved}, attached to {@code manager}. */
    static NDArray copyLike(NDArray weight, NDArray saved, ai.djl.ndarray.NDManager manager) {
        NDArray copy = weight.zerosLike();
        copy.attach(manager);
        copy.addi(saved); // in place: keeps the zeros' strides; 0 + x is exactly x
        return copy;
    }
}
