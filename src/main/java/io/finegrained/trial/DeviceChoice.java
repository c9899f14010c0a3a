package io.finegrained.trial;

import ai.djl.Device;
import java.io.Serializable;

/**
 * Which DJL device a trial trains on, asked on the executor when the trial starts. The Spark
 * driver passes {@code io.finegrained.spark.GpuDevices::forCurrentTask} (the task's GPU, else
 * the CPU); tests and notebooks may pass {@link #CPU}. Serializable: it travels with the runner.
 */
@FunctionalInterface
public interface DeviceChoice extends Serializable {
    /** Always the CPU. */
    DeviceChoice CPU = Device::cpu;

    /** The device for a trial starting on this thread; throws when the assigned one is unusable. */
    Device device();
}
