package dev.rtm.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a detector's per-series state as versioned bytes. Every state starts with a header
 * (magic {@code RTMS}, the model name, the format version) that {@link StateReader#open} checks,
 * so a plugin can read its older formats and refuse foreign bytes.
 *
 * <pre>{@code
 * byte[] b = StateWriter.begin("ewma", 1).writeLong(n).writeDouble(mean).toBytes();
 * }</pre>
 */
public final class StateWriter {

    static final int MAGIC = 0x52544D53; // "RTMS"

    private ByteBuffer buf;

    private StateWriter(int capacity) {
        buf = ByteBuffer.allocate(capacity);
    }

    /** Starts a state of {@code model} in format {@code formatVersion} (&gt;= 1). */
    public static StateWriter begin(String model, int formatVersion) {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("format versions start at 1");
        }
        StateWriter w = new StateWriter(64);
        w.buf.putInt(MAGIC);
        w.writeString(model);
        w.buf.putInt(formatVersion);
        return w;
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    /** Appends an int. */
    public StateWriter writeInt(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    /** Appends a long. */
    public StateWriter writeLong(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    /** Appends a double. */
    public StateWriter writeDouble(double v) {
        ensure(8);
        buf.putDouble(v);
        return this;
    }

    /** Appends a boolean. */
    public StateWriter writeBoolean(boolean v) {
        ensure(1);
        buf.put((byte) (v ? 1 : 0));
        return this;
    }

    /** Appends a length-prefixed double array. */
    public StateWriter writeDoubles(double[] v) {
        ensure(4 + 8 * v.length);
        buf.putInt(v.length);
        for (double d : v) {
            buf.putDouble(d);
        }
        return this;
    }

    /** Appends a length-prefixed float array. */
    public StateWriter writeFloats(float[] v) {
        ensure(4 + 4 * v.length);
        buf.putInt(v.length);
        for (float f : v) {
            buf.putFloat(f);
        }
        return this;
    }

    /** Appends length-prefixed raw bytes. */
    public StateWriter writeBytes(byte[] v) {
        ensure(4 + v.length);
        buf.putInt(v.length);
        buf.put(v);
        return this;
    }

    /** Appends a length-prefixed UTF-8 string. */
    public StateWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes written so far. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf.array(), buf.position());
    }
}
