package io.finegrained.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A DJL training's whole state after an epoch, from which it continues exactly as if it had never
 * stopped (CPU, same threads: bit-identical parameters, TrialTrainerCheckpointTest): the
 * parameters (BatchNorm's running statistics included), the optimizer's state per parameter
 * (momentum buffers, Adam's moments) and its step count, the epoch loop's state (the generator of
 * shuffles and augmentation, the current shuffled order, the divergence window, the step count,
 * which is also the learning-rate schedule's position) and the epoch reached.
 *
 * <p>Parameters and optimizer state are keyed by the parameter's path in the block (stable: child
 * names come from the YAML, never positions), not by DJL's per-instance parameter ids. Arrays are
 * stored in DJL's own encoding, in logical (contiguous) order; a restore copies the values into
 * the freshly initialized arrays, so they keep the layout the trainer gave them (channels-last).
 * The bytes are the file ({@code trials/<id>/checkpoint/state.bin}) and what travels with a task
 * when executors cannot read the run directory. Immutable.
 */
public final class TrainingCheckpoint {
    private static final int MAGIC = 0x46474350; // "FGCP"
    private static final int VERSION = 1;

    private final int epoch;
    private final int step;
    private final long seed;
    private final int totalEpochs;
    private final byte[] random;
    private final int[] order;
    private final double[] window;
    private final Map<String, byte[]> parameters;
    private final Map<String, List<byte[]>> optimizer;

    TrainingCheckpoint(int epoch, int step, long seed, int totalEpochs, byte[] random, int[] order, double[] window,
                       Map<String, byte[]> parameters, Map<String, List<byte[]>> optimizer) {
        this.epoch = epoch;
        this.step = step;
        this.seed = seed;
        this.totalEpochs = totalEpochs;
        this.random = random.clone();
        this.order = order.clone();
        this.window = window.clone();
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        Map<String, List<byte[]>> copy = new LinkedHashMap<>();
        optimizer.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.optimizer = Collections.unmodifiableMap(copy);
    }

    /** The epochs trained: the resource this checkpoint holds. */
    public int epoch() {
        return epoch;
    }

    /** Optimizer steps taken (the learning-rate schedule's position). */
    public int step() {
        return step;
    }

    Map<String, byte[]> parameters() {
        return parameters;
    }

    Map<String, List<byte[]>> optimizer() {
        return optimizer;
    }

    /** Checks that it belongs to a training with these settings (same seed and budget). */
    void checkFits(TrainerConfig cfg) {
        if (seed != cfg.seed() || totalEpochs != cfg.epochs()) {
            throw new IllegalArgumentException("the checkpoint is of a training with seed " + seed + " and " + totalEpochs
                    + " epochs, not seed " + cfg.seed() + " and " + cfg.epochs() + " epochs");
        }
    }

    /** The loop's state to continue from (a fresh copy: the loop changes it). */
    TrainingLoop.State loopState() {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(random))) {
            return new TrainingLoop.State((Random) in.readObject(), order.clone(), window.clone(), step, epoch);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("damaged checkpoint: its random state does not read: " + e.getMessage(), e);
        }
    }

    static byte[] randomBytes(Random random) {
        // java.util.Random's serialized form is its full state (seed and cached Gaussian): the
        // one portable way to save it.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The checkpoint as bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(epoch);
            out.writeInt(step);
            out.writeLong(seed);
            out.writeInt(totalEpochs);
            writeBytes(out, random);
            out.writeInt(order.length);
            for (int i : order) {
                out.writeInt(i);
            }
            out.writeInt(window.length);
            for (double d : window) {
                out.writeDouble(d);
            }
            out.writeInt(parameters.size());
            for (Map.Entry<String, byte[]> p : parameters.entrySet()) {
                out.writeUTF(p.getKey());
                writeBytes(out, p.getValue());
            }
            out.writeInt(optimizer.size());
            for (Map.Entry<String, List<byte[]>> o : optimizer.entrySet()) {
                out.writeUTF(o.getKey());
                out.writeInt(o.getValue().size());
                for (byte[] array : o.getValue()) {
                    writeBytes(out, array);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes()}; {@link IllegalArgumentException} when they are not a checkpoint. */
    public static TrainingCheckpoint fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a finegrained training checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("a checkpoint of version " + version + ", this build reads " + VERSION);
            }
            int epoch = in.readInt();
            int step = in.readInt();
            long seed = in.readLong();
            int total = in.readInt();
            byte[] random = readBytes(in);
            int[] order = new int[in.readInt()];
            for (int i = 0; i < order.length; i++) {
                order[i] = in.readInt();
            }
            double[] window = new double[in.readInt()];
            for (int i = 0; i < window.length; i++) {
                window[i] = in.readDouble();
            }
            Map<String, byte[]> parameters = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                parameters.put(in.readUTF(), readBytes(in));
            }
            Map<String, List<byte[]>> optimizer = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                String name = in.readUTF();
                byte[][] arrays = new byte[in.readInt()][];
                for (int i = 0; i < arrays.length; i++) {
                    arrays[i] = readBytes(in);
                }
                optimizer.put(name, Arrays.asList(arrays));
            }
            return new TrainingCheckpoint(epoch, step, seed, total, random, order, window, parameters, optimizer);
        } catch (IOException e) {
            throw new IllegalArgumentException("damaged checkpoint: " + e.getMessage(), e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}
