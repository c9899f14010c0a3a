package io.finegrained.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;

/**
 * Scores a trained network on one split: top-1 accuracy and mean loss, in batches of
 * {@code trainer.eval_batch_size}, without augmentation. Each batch's arrays live in a
 * sub-manager closed after the batch, as in training.
 */
final class Scorer {

    /**
     * @param accuracy the fraction of the split's images classified right
     * @param loss the mean loss per image (the training loss function)
     */
    record Score(double accuracy, double loss) {
    }

    private Scorer() {
    }

    /** The score of the trainer's network on {@code split}, which must not be empty. */
    static Score score(Trainer trainer, LoadedData data, Split split, int evalBatch) {
        BatchAssembler batches = new BatchAssembler(data, split, false, evalBatch);
        int n = batches.set().size();
        int[] order = TrainingLoop.identity(n);
        long correct = 0;
        double lossSum = 0;
        for (int from = 0; from < n; from += evalBatch) {
            int count = Math.min(evalBatch, n - from);
            try (NDManager arrays = trainer.getManager().newSubManager()) {
                NDArray x = batches.images(arrays, order, from, count, null);
                NDArray y = batches.labels(arrays, order, from, count);
                NDArray prediction = trainer.evaluate(new NDList(x)).singletonOrThrow();
                lossSum += trainer.getLoss().evaluate(new NDList(y), new NDList(prediction)).getFloat() * count;
                correct += prediction.argMax(1).eq(y).countNonzero().getLong();
            }
        }
        return new Score((double) correct / n, lossSum / n);
    }
}
