package dev.rtm.host.typeinfo;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.common.typeutils.base.array.LongPrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@code long[]} of keyed state as variable-length numbers (LEB128: 7 bits a byte): the length,
 * then each number. The state it holds is mostly small counters, zeros and epoch milliseconds, which
 * take 1 to 6 bytes here instead of 8 (a negative number takes 10). Flink's own
 * {@link LongPrimitiveArraySerializer}, which earlier versions of rtm wrote, is read on restore
 * (compatible after migration), so their checkpoints and savepoints restore.
 */
public final class VarLongArraySerializer extends TypeSerializerSingleton<long[]> {

    private static final long serialVersionUID = 1L;
    public static final VarLongArraySerializer INSTANCE = new VarLongArraySerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public long[] createInstance() {
        return new long[0];
    }

    @Override
    public long[] copy(long[] from) {
        return from.clone();
    }

    @Override
    public long[] copy(long[] from, long[] reuse) {
        return from.clone();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(long[] values, DataOutputView out) throws IOException {
        writeVarLong(values.length, out);
        for (long v : values) {
            writeVarLong(v, out);
        }
    }

    @Override
    public long[] deserialize(DataInputView in) throws IOException {
        long[] values = new long[readLength(in, "long[]")];
        for (int i = 0; i < values.length; i++) {
            values[i] = readVarLong(in);
        }
        return values;
    }

    @Override
    public long[] deserialize(long[] reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    /** Writes {@code v} in 1 (0..127) to 10 (negative) bytes, 7 bits a byte, low bits first. */
    public static void writeVarLong(long v, DataOutputView out) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** Reads a number {@link #writeVarLong} wrote. */
    public static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("corrupt variable-length number: more than 10 bytes");
    }

    /** Reads an array length {@link #writeVarLong} wrote; a corrupt one is refused, not allocated. */
    static int readLength(DataInputView in, String what) throws IOException {
        long n = readVarLong(in);
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IOException("corrupt " + what + " state: length " + n);
        }
        return (int) n;
    }

    @Override
    public TypeSerializerSnapshot<long[]> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration; reads the state of Flink's fixed-width serializer. */
    public static final class Snapshot extends ReplacingSnapshot<long[]> {
        public Snapshot() {
            super(() -> INSTANCE, LongPrimitiveArraySerializer.LongPrimitiveArraySerializerSnapshot.class);
        }
    }
}
