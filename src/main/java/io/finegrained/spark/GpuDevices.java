package io.finegrained.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Which DJL device a Spark task trains on: the GPU Spark assigned to the task
 * ({@code spark.task.resource.gpu.amount=1}), or the CPU when the task holds no GPU.
 *
 * <p>A task that holds a GPU the PyTorch engine cannot use fails with a message that says why
 * (CPU-only libtorch, or an address beyond the GPUs the engine sees): training such a candidate
 * silently on the CPU would make a GPU cluster look slow instead of misconfigured.
 *
 * <p>Spark's addresses are the strings its discovery script printed; finegrained's script
 * ({@code submit/gpu-discovery.sh}) prints CUDA device indices, which is what DJL's
 * {@link Device#gpu(int)} takes. Stateless and thread-safe.
 */
public final class GpuDevices {

    /** The Spark resource name GPUs are scheduled under. */
    public static final String GPU_RESOURCE = "gpu";

    private GpuDevices() {
    }

    /**
     * What the engine of this JVM can use.
     *
     * @param engineHasCuda whether the loaded libtorch was built with CUDA
     * @param count         GPUs the engine sees (0 without CUDA)
     * @param where         a short description of this JVM for messages (host, flavour)
     */
    public record VisibleGpus(boolean engineHasCuda, int count, String where) {

        /** Asks the PyTorch engine of this JVM (loads it when not loaded yet). */
        public static VisibleGpus ofPyTorchEngine() {
            Engine engine = Engine.getEngine("PyTorch");
            boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
            String where = "host " + hostName() + ", PyTorch " + engine.getVersion()
                    + ", PYTORCH_FLAVOR=" + envOrUnset("PYTORCH_FLAVOR")
                    + ", PYTORCH_LIBRARY_PATH=" + envOrUnset("PYTORCH_LIBRARY_PATH")
                    + ", CUDA_VISIBLE_DEVICES=" + envOrUnset("CUDA_VISIBLE_DEVICES");
            return new VisibleGpus(cuda, cuda ? engine.getGpuCount() : 0, where);
        }
    }

    /**
     * The device for the Spark task running on this thread: {@link #forResources} with the
     * task's resources and this JVM's PyTorch engine. Outside a Spark task (driver, plain
     * tests) there is no assignment, so the CPU; the engine is only consulted when the task
     * holds a GPU.
     *
     * @throws IllegalStateException when the task holds a GPU this JVM cannot train on
     */
    public static Device forCurrentTask() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return Device.cpu();
        }
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        if (gpuAddresses(resources).length == 0) {
            return Device.cpu();
        }
        return forResources(resources, VisibleGpus.ofPyTorchEngine());
    }

    /**
     * The device for a task holding {@code resources} (Spark's resource name to its
     * addresses) on a JVM whose engine sees {@code visible}.
     *
     * @return {@link Device#cpu()} without a {@code gpu} resource (or with no address in it),
     *         else {@link Device#gpu(int)} of the one assigned address
     * @throws IllegalStateException when the task holds more than one GPU, an address that is
     *         not a device index, or a GPU the engine cannot use
     */
    public static Device forResources(Map<String, ResourceInformation> resources, VisibleGpus visible) {
        String[] addresses = gpuAddresses(resources);
        if (addresses.length == 0) {
            return Device.cpu();
        }
        if (addresses.length > 1) {
            throw new IllegalStateException("this task was given " + addresses.length + " GPUs "
                    + Arrays.toString(addresses) + " but a candidate trains on one device:"
                    + " set spark.task.resource.gpu.amount=1 (and spark.executor.resource.gpu.amount=1)");
        }
        String address = addresses[0].trim();
        int index;
        try {
            index = Integer.parseInt(address);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("this task was given GPU address '" + address
                    + "', which is not a CUDA device index: the GPU discovery script must print indices"
                    + " such as \"0\", \"1\" (submit/gpu-discovery.sh does)");
        }
        if (index < 0) {
            throw new IllegalStateException("this task was given GPU address " + index + ", not a CUDA device index");
        }
        if (!visible.engineHasCuda()) {
            throw new IllegalStateException("this task was given GPU " + index
                    + " but the PyTorch engine here has no CUDA support (" + visible.where() + "):"
                    + " install libtorch 2.7.1+cu128 on the node and set PYTORCH_LIBRARY_PATH and"
                    + " PYTORCH_FLAVOR=cu128 for the executors (spark.executorEnv.*), or run without GPU resources");
        }
        if (index >= visible.count()) {
            throw new IllegalStateException("this task was given GPU " + index + " but the PyTorch engine sees "
                    + visible.count() + " GPU(s) (" + visible.where() + "): the discovery script and the"
                    + " devices visible to the executor disagree");
        }
        return Device.gpu(index);
    }

    private static String[] gpuAddresses(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources == null ? null : resources.get(GPU_RESOURCE);
        return gpu == null ? new String[0] : gpu.addresses();
    }

    private static String envOrUnset(String name) {
        String value = System.getenv(name);
        return value == null ? "(unset)" : value;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "(unknown host)";
        }
    }
}
