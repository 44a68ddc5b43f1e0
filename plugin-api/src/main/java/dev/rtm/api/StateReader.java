package dev.rtm.api;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads state written by {@link StateWriter}. Every read that runs past the end, and a header of
 * another model or of an unsupported version, raises {@link StateFormatException}.
 */
public final class StateReader {

    private final ByteBuffer buf;
    private final int version;

    private StateReader(ByteBuffer buf, int version) {
        this.buf = buf;
        this.version = version;
    }

    /**
     * Opens state bytes and checks the header.
     *
     * @param model the model name the bytes must carry
     * @param maxVersion the newest format version this plugin reads (it reads 1..maxVersion)
     */
    public static StateReader open(byte[] state, String model, int maxVersion) throws StateFormatException {
        if (state == null) {
            throw new StateFormatException("no state bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(state);
        try {
            String found;
            int version;
            if (state.length > 0 && buf.get(0) == StateWriter.MAGIC) {
                buf.get();
                int length = varInt(buf);
                if (length > buf.remaining()) {
                    throw new BufferUnderflowException();
                }
                byte[] name = new byte[length];
                buf.get(name);
                found = new String(name, StandardCharsets.UTF_8);
                version = varInt(buf);
            } else if (buf.getInt() == StateWriter.OLD_MAGIC) {
                found = new StateReader(buf, 0).readString();
                version = buf.getInt();
            } else {
                throw new StateFormatException("not rtm detector state (bad magic)");
            }
            if (!found.equals(model)) {
                throw new StateFormatException("state of model '" + found + "', expected '" + model + "'");
            }
            if (version < 1 || version > maxVersion) {
                throw new StateFormatException("state format version " + version + " of '" + model
                        + "' is not readable by this plugin (reads 1.." + maxVersion + ")");
            }
            return new StateReader(buf, version);
        } catch (BufferUnderflowException e) {
            throw new StateFormatException("state bytes are truncated");
        }
    }

    /** A header number written by {@code StateWriter.putVarInt}. */
    private static int varInt(ByteBuffer buf) throws StateFormatException {
        int v = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = buf.get();
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (v < 0) {
                    break;
                }
                return v;
            }
        }
        throw new StateFormatException("corrupt state header");
    }

    /** The format version found in the header. */
    public int version() {
        return version;
    }

    /** Reads an int. */
    public int readInt() throws StateFormatException {
        try {
            return buf.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    /** Reads a long. */
    public long readLong() throws StateFormatException {
        try {
            return buf.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    /** Reads a double. */
    public double readDouble() throws StateFormatException {
        try {
            return buf.getDouble();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    /** Reads a boolean. */
    public boolean readBoolean() throws StateFormatException {
        try {
            return buf.get() != 0;
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    private int readLength(int elementSize) throws StateFormatException {
        int n = readInt();
        if (n < 0 || (long) n * elementSize > buf.remaining()) {
            throw truncated();
        }
        return n;
    }

    /** Reads a double array. */
    public double[] readDoubles() throws StateFormatException {
        double[] v = new double[readLength(8)];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getDouble();
        }
        return v;
    }

    /** Reads a float array. */
    public float[] readFloats() throws StateFormatException {
        float[] v = new float[readLength(4)];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getFloat();
        }
        return v;
    }

    /** Reads raw bytes. */
    public byte[] readBytes() throws StateFormatException {
        byte[] v = new byte[readLength(1)];
        buf.get(v);
        return v;
    }

    /** Reads a string. */
    public String readString() throws StateFormatException {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    /** Checks that every byte was read, so a mismatch between writer and reader is caught. */
    public void end() throws StateFormatException {
        if (buf.hasRemaining()) {
            throw new StateFormatException(buf.remaining() + " unexpected bytes at the end of the state");
        }
    }

    private static StateFormatException truncated() {
        return new StateFormatException("state bytes are truncated");
    }
}
