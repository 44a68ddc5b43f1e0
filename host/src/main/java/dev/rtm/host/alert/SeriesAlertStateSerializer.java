package dev.rtm.host.alert;

import static dev.rtm.host.typeinfo.VarLongArraySerializer.readVarLong;
import static dev.rtm.host.typeinfo.VarLongArraySerializer.writeVarLong;

import dev.rtm.host.typeinfo.ReplacingSnapshot;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A series' {@link SeriesAlertState} in keyed state, compact: a byte of flags, the model lists, the
 * newest point's time and the interval as variable-length numbers, and only the parts in use: the
 * alert (id, models, peak) while one fires, the nodata watch when it runs. A series with no alert
 * takes about 16 bytes where Flink's POJO serializer wrote about 110 with every field. Earlier
 * versions of rtm wrote the POJO; its state is read on restore (compatible after migration).
 */
public final class SeriesAlertStateSerializer extends TypeSerializerSingleton<SeriesAlertState> {

    private static final long serialVersionUID = 1L;
    static final SeriesAlertStateSerializer INSTANCE = new SeriesAlertStateSerializer();

    private static final int FIRING = 1;
    private static final int NODATA = 2;
    private static final int WATCH = 4;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SeriesAlertState createInstance() {
        return new SeriesAlertState();
    }

    @Override
    public SeriesAlertState copy(SeriesAlertState from) {
        return copy(from, new SeriesAlertState());
    }

    @Override
    public SeriesAlertState copy(SeriesAlertState from, SeriesAlertState to) {
        to.known = from.known;
        to.firing = from.firing;
        to.startedAt = from.startedAt;
        to.alertId = from.alertId;
        to.models = from.models;
        to.peakScore = from.peakScore;
        to.peakValue = from.peakValue;
        to.peakExpected = from.peakExpected;
        to.peakLower = from.peakLower;
        to.peakUpper = from.peakUpper;
        to.lastTs = from.lastTs;
        to.step = from.step;
        to.lastSeenWall = from.lastSeenWall;
        to.nodataSince = from.nodataSince;
        to.timerAt = from.timerAt;
        return to;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeriesAlertState s, DataOutputView out) throws IOException {
        boolean watch = s.lastSeenWall != 0 || s.timerAt != 0;
        out.writeByte((s.startedAt != 0 ? FIRING : 0) | (s.nodataSince != 0 ? NODATA : 0) | (watch ? WATCH : 0));
        StringValue.writeString(s.known, out);
        StringValue.writeString(s.firing, out);
        writeVarLong(s.lastTs, out);
        writeVarLong(s.step, out);
        if (s.startedAt != 0) { // the alert's parts are read only while it fires
            writeVarLong(s.startedAt, out);
            StringValue.writeString(s.alertId, out);
            StringValue.writeString(s.models, out);
            out.writeDouble(s.peakScore);
            out.writeDouble(s.peakValue);
            out.writeDouble(s.peakExpected);
            out.writeDouble(s.peakLower);
            out.writeDouble(s.peakUpper);
        }
        if (s.nodataSince != 0) {
            writeVarLong(s.nodataSince, out);
        }
        if (watch) {
            writeVarLong(s.lastSeenWall, out);
            writeVarLong(s.timerAt, out);
        }
    }

    @Override
    public SeriesAlertState deserialize(DataInputView in) throws IOException {
        return deserialize(new SeriesAlertState(), in);
    }

    @Override
    public SeriesAlertState deserialize(SeriesAlertState s, DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        s.known = StringValue.readString(in);
        s.firing = StringValue.readString(in);
        s.lastTs = readVarLong(in);
        s.step = readVarLong(in);
        s.startedAt = 0;
        s.alertId = null;
        s.models = null;
        s.peakScore = 0;
        s.peakValue = 0;
        s.peakExpected = 0;
        s.peakLower = 0;
        s.peakUpper = 0;
        if ((flags & FIRING) != 0) {
            s.startedAt = readVarLong(in);
            s.alertId = StringValue.readString(in);
            s.models = StringValue.readString(in);
            s.peakScore = in.readDouble();
            s.peakValue = in.readDouble();
            s.peakExpected = in.readDouble();
            s.peakLower = in.readDouble();
            s.peakUpper = in.readDouble();
        }
        s.nodataSince = (flags & NODATA) != 0 ? readVarLong(in) : 0;
        s.lastSeenWall = 0;
        s.timerAt = 0;
        if ((flags & WATCH) != 0) {
            s.lastSeenWall = readVarLong(in);
            s.timerAt = readVarLong(in);
        }
        return s;
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SeriesAlertState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration; reads the state Flink's POJO serializer wrote. */
    public static final class Snapshot extends ReplacingSnapshot<SeriesAlertState> {
        public Snapshot() {
            super(() -> INSTANCE, PojoSerializerSnapshot.class);
        }
    }
}
