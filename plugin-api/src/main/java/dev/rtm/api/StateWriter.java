package dev.rtm.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a detector's per-series state as versioned bytes. Every state starts with a header (a
 * magic byte {@code 'r'}, the model name, the format version; 7 bytes for {@code ewma}) that
 * {@link StateReader#open} checks, so a plugin can read its older formats and refuse foreign bytes.
 * States written before 2026-12-03 start with a 4-byte magic {@code RTMS} and fixed-width length
 * and version (16 bytes for {@code ewma}); {@link StateReader} reads both.
 *
 * <pre>{@code
 * byte[] b = StateWriter.begin("ewma", 1).writeLong(n).writeDouble(mean).toBytes();
 * }</pre>
 */
public final class StateWriter {

    /** The first byte of a state's header. */
    static final byte MAGIC = 'r';
    /** The first 4 bytes of a header before 2026-12-03 (its first byte is not {@link #MAGIC}). */
    static final int OLD_MAGIC = 0x52544D53; // "RTMS"

    private ByteBuffer buf;

    private StateWriter(int capacity) {
        buf = ByteBuffer.allocate(capacity);
    }

    /** Starts a state of {@code model} in format {@code formatVersion} (&gt;= 1). */
    public static StateWriter begin(String model, int formatVersion) {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("format versions start at 1");
        }
        byte[] name = model.getBytes(StandardCharsets.UTF_8);
        StateWriter w = new StateWriter(64 + name.length);
        w.buf.put(MAGIC);
        w.putVarInt(name.length);
        w.buf.put(name);
        w.putVarInt(formatVersion);
        return w;
    }

    /** A header number: 7 bits a byte, low bits first (one byte up to 127). */
    private void putVarInt(int v) {
        while ((v & ~0x7F) != 0) {
            buf.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
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
