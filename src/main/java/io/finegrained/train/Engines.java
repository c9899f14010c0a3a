package io.finegrained.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DJL engine of this JVM: its thread counts and its warm-up.
 *
 * <p>libtorch reads {@code ai.djl.pytorch.num_threads} and {@code num_interop_threads} once, when
 * the engine loads, and refuses to change inter-op threads after parallel work started. So the
 * counts are a per-JVM setting: {@link #configureThreads} sets them before the engine loads (or
 * corrects the intra-op count if something loaded it first), and a later call asking for other
 * counts only warns. Thread-safe.
 */
public final class Engines {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private static final String INTRA = "ai.djl.pytorch.num_threads";
    private static final String INTER = "ai.djl.pytorch.num_interop_threads";

    /** libgomp's wait policy, read from the environment when libtorch loads. */
    static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    private static int[] configured;
    private static final Set<Device> WARM = new HashSet<>();

    private Engines() {
    }

    /**
     * Sets the intra-op and inter-op thread counts of this JVM's engine, once. A count of 0 keeps
     * libtorch's own default (one thread per core) for that setting.
     */
    public static synchronized void configureThreads(int intraOp, int interOp) {
        if (intraOp < 0 || interOp < 0) {
            throw new IllegalArgumentException("thread counts must be >= 0, got " + intraOp + " and " + interOp);
        }
        if (configured != null) {
            if (configured[0] != intraOp || configured[1] != interOp) {
                LOG.warn("engine threads are already {} intra-op / {} inter-op in this JVM; ignoring {} / {}",
                        configured[0], configured[1], intraOp, interOp);
            }
            return;
        }
        configured = new int[] {intraOp, interOp};
        preferPassiveWaiting();
        NativeAllocator.tune();
        if (intraOp > 0) {
            System.setProperty(INTRA, Integer.toString(intraOp));
        }
        if (interOp > 0) {
            System.setProperty(INTER, Integer.toString(interOp));
        }
        Engine.getInstance();
        // The engine may have been loaded before this call (a notebook, a test): intra-op threads
        // can still change; inter-op threads cannot once work ran, so that one only warns.
        if (intraOp > 0 && JniUtils.getNumThreads() != intraOp) {
            JniUtils.setNumThreads(intraOp);
        }
        if (interOp > 0 && JniUtils.getNumInteropThreads() != interOp) {
            LOG.warn("the engine was loaded before its threads were configured: inter-op threads stay {}",
                    JniUtils.getNumInteropThreads());
        }
    }

    /**
     * Makes libtorch's OpenMP threads sleep, not spin, while they wait ({@code OMP_WAIT_POLICY=PASSIVE})
     * unless the environment already chose. Measured here: with two threads on a loaded two-core
     * machine, spinning made a small network's training ten times slower (434 against 6,297
     * images/s), because every parallel region waits for a thread the OS descheduled. Must run
     * before the engine loads (libgomp reads the variable once); later it has no effect.
     *
     * @return the policy the engine will use
     */
    public static synchronized String preferPassiveWaiting() {
        String chosen = System.getenv(WAIT_POLICY);
        if (chosen != null) {
            return chosen;
        }
        // The JVM cannot change its own environment, but libgomp reads the C library's one.
        CLibrary.INSTANCE.setenv(WAIT_POLICY, "PASSIVE", 0);
        return "PASSIVE";
    }

    /**
     * Readies the calling thread for DJL training: libtorch keeps its grad mode per thread, on by
     * default, and DJL turns it off only on the thread that loaded the engine. Outside a gradient
     * collector it must be off, or scoring records graphs and the optimizer's in-place updates of
     * the weights fail ("a leaf Variable that requires grad is being used in an in-place
     * operation"). {@link TrialTrainer} calls this itself; cheap to call again.
     */
    public static void prepareThread() {
        Engine.getInstance();
        if (JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }

    /** The counts of the first {@link #configureThreads} call of this JVM, or null before it. */
    static synchronized int[] configured() {
        return configured == null ? null : configured.clone();
    }

    /** The intra-op thread count the engine uses now (loads the engine). */
    public static int intraOpThreads() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }

    /** The inter-op thread count the engine uses now (loads the engine). */
    public static int interOpThreads() {
        Engine.getInstance();
        return JniUtils.getNumInteropThreads();
    }

    /**
     * Loads the engine and runs a small convolution forward and backward on the device, once per
     * device and JVM, so the first timed trial does not pay for library loading and kernel setup.
     */
    public static void warmUp(Device device) {
        synchronized (Engines.class) {
            if (WARM.contains(device)) {
                return;
            }
            preferPassiveWaiting();
            NativeAllocator.tune();
        }
        Engine engine = Engine.getInstance();
        prepareThread();
        try (NDManager manager = engine.newBaseManager(device)) {
            NDArray x = manager.randomNormal(new Shape(8, 3, 16, 16));
            NDArray w = manager.randomNormal(new Shape(8, 3, 3, 3));
            w.setRequiresGradient(true);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDList out = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1));
                collector.backward(Activation.relu(out.singletonOrThrow()).mean());
            }
            w.getGradient().sum().getFloat();
        }
        synchronized (Engines.class) {
            WARM.add(device);
        }
    }

    /** The number of NDArrays alive in this JVM's engine (every manager), for memory checks. */
    public static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
