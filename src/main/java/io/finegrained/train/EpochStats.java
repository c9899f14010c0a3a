package io.finegrained.train;

/**
 * What one training epoch did, measured on the training batches as they ran.
 *
 * @param epoch 1-based epoch number
 * @param epochs epochs planned
 * @param loss mean training loss over the epoch's steps
 * @param accuracy fraction of training images classified right during the epoch
 * @param imagesPerSecond training throughput of the epoch
 * @param learningRate the learning rate of the epoch's last step
 * @param seconds wall time of the epoch
 * @param liveArrays NDArrays alive in the trial's model manager at the end of the epoch (flat
 *     from epoch to epoch when every batch's arrays are released)
 */
public record EpochStats(int epoch, int epochs, double loss, double accuracy, double imagesPerSecond, double learningRate,
        double seconds, int liveArrays) {

    /** The progress line {@code train} prints. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d  loss %.4f  accuracy %.4f  %.0f images/s  lr %.5f  %.1f s",
                epoch, epochs, loss, accuracy, imagesPerSecond, learningRate, seconds);
    }
}
