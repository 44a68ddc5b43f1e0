package dev.rtm.host.typeinfo;

import static dev.rtm.host.typeinfo.VarLongArraySerializer.readLength;
import static dev.rtm.host.typeinfo.VarLongArraySerializer.writeVarLong;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@code byte[]} of keyed state (a detector's saved bytes) with its length as a variable-length
 * number: 1 byte up to 127 bytes, 2 up to 16 383, where Flink's {@link BytePrimitiveArraySerializer}
 * writes 4. Its state, which earlier versions of rtm wrote, is read on restore (compatible after
 * migration).
 */
public final class VarBytesSerializer extends TypeSerializerSingleton<byte[]> {

    private static final long serialVersionUID = 1L;
    public static final VarBytesSerializer INSTANCE = new VarBytesSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public byte[] createInstance() {
        return new byte[0];
    }

    @Override
    public byte[] copy(byte[] from) {
        return from.clone();
    }

    @Override
    public byte[] copy(byte[] from, byte[] reuse) {
        return from.clone();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(byte[] bytes, DataOutputView out) throws IOException {
        writeVarLong(bytes.length, out);
        out.write(bytes);
    }

    @Override
    public byte[] deserialize(DataInputView in) throws IOException {
        byte[] bytes = new byte[readLength(in, "byte[]")];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public byte[] deserialize(byte[] reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<byte[]> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration; reads the state of Flink's fixed-width serializer. */
    public static final class Snapshot extends ReplacingSnapshot<byte[]> {
        public Snapshot() {
            super(() -> INSTANCE, BytePrimitiveArraySerializer.BytePrimitiveArraySerializerSnapshot.class);
        }
    }
}
