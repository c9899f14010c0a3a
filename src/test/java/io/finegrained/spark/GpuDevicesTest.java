package io.finegrained.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.finegrained.spark.GpuDevices.VisibleGpus;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

class GpuDevicesTest {

    private static final VisibleGpus TWO_GPUS = new VisibleGpus(true, 2, "test host with two GPUs");
    private static final VisibleGpus CPU_ONLY = new VisibleGpus(false, 0, "test host, CPU libtorch");

    private static Map<String, ResourceInformation> gpus(String... addresses) {
        return Map.of("gpu", new ResourceInformation("gpu", addresses));
    }

    @Test
    void noResourcesMeansCpu() {
        assertEquals(Device.cpu(), GpuDevices.forResources(Map.of(), CPU_ONLY));
        assertEquals(Device.cpu(), GpuDevices.forResources(null, TWO_GPUS));
    }

    @Test
    void otherResourcesAreIgnored() {
        var fpga = Map.of("fpga", new ResourceInformation("fpga", new String[] {"3"}));
        assertEquals(Device.cpu(), GpuDevices.forResources(fpga, TWO_GPUS));
    }

    @Test
    void gpuResourceWithoutAddressMeansCpu() {
        assertEquals(Device.cpu(), GpuDevices.forResources(gpus(), CPU_ONLY));
    }

    @Test
    void assignedAddressBecomesThatGpu() {
        assertEquals(Device.gpu(0), GpuDevices.forResources(gpus("0"), TWO_GPUS));
        assertEquals(Device.gpu(1), GpuDevices.forResources(gpus("1"), TWO_GPUS));
        assertEquals(Device.gpu(1), GpuDevices.forResources(gpus(" 1 "), TWO_GPUS));
    }

    @Test
    void gpuBeyondWhatTheEngineSeesFailsNamingBoth() {
        var e = assertThrows(IllegalStateException.class,
                () -> GpuDevices.forResources(gpus("2"), TWO_GPUS));
        assertTrue(e.getMessage().contains("given GPU 2"), e.getMessage());
        assertTrue(e.getMessage().contains("sees 2 GPU(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("test host with two GPUs"), e.getMessage());
    }

    @Test
    void gpuOnCpuOnlyEngineFailsSayingWhatToInstall() {
        var e = assertThrows(IllegalStateException.class,
                () -> GpuDevices.forResources(gpus("0"), CPU_ONLY));
        assertTrue(e.getMessage().contains("given GPU 0"), e.getMessage());
        assertTrue(e.getMessage().contains("no CUDA support"), e.getMessage());
        assertTrue(e.getMessage().contains("PYTORCH_FLAVOR=cu128"), e.getMessage());
    }

    @Test
    void moreThanOneGpuPerTaskIsRefused() {
        var e = assertThrows(IllegalStateException.class,
                () -> GpuDevices.forResources(gpus("0", "1"), TWO_GPUS));
        assertTrue(e.getMessage().contains("spark.task.resource.gpu.amount=1"), e.getMessage());
    }

    @Test
    void addressThatIsNotAnIndexIsRefused() {
        var e = assertThrows(IllegalStateException.class,
                () -> GpuDevices.forResources(gpus("GPU-3f2a"), TWO_GPUS));
        assertTrue(e.getMessage().contains("'GPU-3f2a'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> GpuDevices.forResources(gpus("-1"), TWO_GPUS));
    }

    @Test
    void outsideASparkTaskItIsTheCpu() {
        assertEquals(Device.cpu(), GpuDevices.forCurrentTask());
    }
}
