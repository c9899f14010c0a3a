package io.finegrained.train;

/** The three parts of a dataset. Validation is carved from the training images, never from test. */
public enum Split {
    /** What the optimizer sees. */
    TRAIN,
    /** Held-out training images: what search trials are scored on. */
    VALIDATION,
    /** The dataset's own test images: what {@code train} reports. */
    TEST
}
