package dev.rtm.host.detect;

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

/** A {@link ScoreRow} between tasks, field by field in declaration order; no reflection. */
public final class ScoreRowSerializer extends TypeSerializerSingleton<ScoreRow> {

    private static final long serialVersionUID = 1L;
    static final ScoreRowSerializer INSTANCE = new ScoreRowSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ScoreRow createInstance() {
        return new ScoreRow();
    }

    @Override
    public ScoreRow copy(ScoreRow from) {
        return copy(from, new ScoreRow());
    }

    @Override
    public ScoreRow copy(ScoreRow from, ScoreRow to) {
        to.host = from.host;
        to.metric = from.metric;
        to.model = from.model;
        to.timestamp = from.timestamp;
        to.value = from.value;
        to.expected = from.expected;
        to.lower = from.lower;
        to.upper = from.upper;
        to.score = from.score;
        to.anomaly = from.anomaly;
        to.seriesModels = from.seriesModels;
        return to;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ScoreRow r, DataOutputView out) throws IOException {
        StringValue.writeString(r.host, out);
        StringValue.writeString(r.metric, out);
        StringValue.writeString(r.model, out);
        out.writeLong(r.timestamp);
        out.writeDouble(r.value);
        out.writeDouble(r.expected);
        out.writeDouble(r.lower);
        out.writeDouble(r.upper);
        out.writeDouble(r.score);
        out.writeBoolean(r.anomaly);
        out.writeInt(r.seriesModels);
    }

    @Override
    public ScoreRow deserialize(DataInputView in) throws IOException {
        return deserialize(new ScoreRow(), in);
    }

    @Override
    public ScoreRow deserialize(ScoreRow r, DataInputView in) throws IOException {
        r.host = StringValue.readString(in);
        r.metric = StringValue.readString(in);
        r.model = StringValue.readString(in);
        r.timestamp = in.readLong();
        r.value = in.readDouble();
        r.expected = in.readDouble();
        r.lower = in.readDouble();
        r.upper = in.readDouble();
        r.score = in.readDouble();
        r.anomaly = in.readBoolean();
        r.seriesModels = in.readInt();
        return r;
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        StringValue.copyString(in, out);
        StringValue.copyString(in, out);
        StringValue.copyString(in, out);
        out.writeLong(in.readLong()); // timestamp
        for (int i = 0; i < 5; i++) { // value, expected, lower, upper, score
            out.writeDouble(in.readDouble());
        }
        out.writeBoolean(in.readBoolean());
        out.writeInt(in.readInt());
    }

    @Override
    public TypeSerializerSnapshot<ScoreRow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ScoreRow> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Declared on {@link ScoreRow} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<ScoreRow> {
        @Override
        public TypeInformation<ScoreRow> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(ScoreRow.class, INSTANCE, 11);
        }
    }
}
