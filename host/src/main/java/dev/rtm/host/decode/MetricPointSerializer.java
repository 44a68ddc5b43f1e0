package dev.rtm.host.decode;

import dev.rtm.host.typeinfo.SerializerTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A {@link MetricPoint} between tasks: host and metric as Flink writes strings, then the timestamp
 * and the value; no reflection. The point is immutable, so a copy is the point itself.
 */
public final class MetricPointSerializer extends TypeSerializerSingleton<MetricPoint> {

    private static final long serialVersionUID = 1L;
    static final MetricPointSerializer INSTANCE = new MetricPointSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public MetricPoint createInstance() {
        return new MetricPoint("", "", 0, 0);
    }

    @Override
    public MetricPoint copy(MetricPoint from) {
        return from;
    }

    @Override
    public MetricPoint copy(MetricPoint from, MetricPoint reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(MetricPoint p, DataOutputView out) throws IOException {
        StringValue.writeString(p.host(), out);
        StringValue.writeString(p.metric(), out);
        out.writeLong(p.timestamp());
        out.writeDouble(p.value());
    }

    @Override
    public MetricPoint deserialize(DataInputView in) throws IOException {
        return new MetricPoint(StringValue.readString(in), StringValue.readString(in), in.readLong(), in.readDouble());
    }

    @Override
    public MetricPoint deserialize(MetricPoint reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        StringValue.copyString(in, out);
        StringValue.copyString(in, out);
        out.writeLong(in.readLong());
        out.writeDouble(in.readDouble());
    }

    @Override
    public TypeSerializerSnapshot<MetricPoint> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricPoint> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Declared on {@link MetricPoint} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<MetricPoint> {
        @Override
        public TypeInformation<MetricPoint> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(MetricPoint.class, INSTANCE, 4);
        }
    }
}
