package dev.rtm.host.typeinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.decode.MetricPointSerializer;
import dev.rtm.host.detect.ScoreRow;
import dev.rtm.host.detect.ScoreRowSerializer;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The records every point becomes travel with their own serializers (Flink finds them through
 * {@code @TypeInfo}), not as reflective POJOs, and come out equal, hostile text and NaN included.
 */
class RecordSerializersTest {

    static final String HOSTILE = "web\t1\n'; DROP TABLE metrics; --\\ \uD83D\uDE00 " + "x".repeat(10_000);

    @Test
    void flinkUsesTheRecordsOwnSerializers() {
        assertThat(TypeInformation.of(MetricPoint.class).createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(MetricPointSerializer.class);
        assertThat(TypeInformation.of(ScoreRow.class).createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(ScoreRowSerializer.class);
    }

    @Test
    void aMetricPointComesOutEqual() throws Exception {
        roundTrip(TypeInformation.of(MetricPoint.class), new MetricPoint(HOSTILE, "cpu", 1_700_000_000_123L, Double.NEGATIVE_INFINITY));
    }

    @Test
    void aScoreRowComesOutEqualWithItsModelCount() throws Exception {
        ScoreRow r = new ScoreRow(HOSTILE, "cpu", "ewma", 1_700_000_000_123L, 1.5, Double.NaN, -1, 3, 0.25, true);
        r.seriesModels = 3;
        ScoreRow back = roundTrip(TypeInformation.of(ScoreRow.class), r);
        assertThat(back.seriesModels).isEqualTo(3);
        ScoreRow nulls = roundTrip(TypeInformation.of(ScoreRow.class), new ScoreRow());
        assertThat(nulls.host).isNull();
    }

    private static <T> T roundTrip(TypeInformation<T> info, T value) throws Exception {
        TypeSerializer<T> s = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        s.serialize(value, out);
        byte[] bytes = out.getCopyOfBuffer();
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        T first = s.deserialize(in);
        T second = s.deserialize(s.createInstance(), in);
        assertThat(first).isEqualTo(value);
        assertThat(second).isEqualTo(value);
        assertThat(in.available()).as("every byte read").isZero();
        assertThat(s.copy(value)).isEqualTo(value);
        assertThat(s.copy(value, s.createInstance())).isEqualTo(value);

        // copying serialized bytes gives the same bytes (what Flink does when it spills or rescales)
        DataOutputSerializer copied = new DataOutputSerializer(64);
        DataInputDeserializer again = new DataInputDeserializer(bytes);
        s.copy(again, copied);
        s.copy(again, copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes);

        // a snapshot restores a serializer that reads the same bytes
        TypeSerializerSnapshot<T> snap = s.snapshotConfiguration();
        DataOutputSerializer snapOut = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapOut, snap);
        TypeSerializerSnapshot<T> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapOut.getCopyOfBuffer()), RecordSerializersTest.class.getClassLoader());
        assertThat(read.restoreSerializer().deserialize(new DataInputDeserializer(bytes))).isEqualTo(value);
        return first;
    }
}
