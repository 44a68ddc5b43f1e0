package dev.rtm.host.alert;

import static dev.rtm.host.typeinfo.StateSerializersTest.bytes;
import static dev.rtm.host.typeinfo.StateSerializersTest.roundTrip;
import static dev.rtm.host.typeinfo.StateSerializersTest.takenOver;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

/**
 * A series' alert state is written in the parts in use: an idle series in 16 bytes, a firing alert
 * and a running nodata watch with every field, and the POJO state earlier versions wrote is taken over.
 */
class SeriesAlertStateSerializerTest {

    static final long NOW = 1_764_720_000_000L;

    @Test
    void anIdleSeriesTakesSixteenBytes() throws Exception {
        SeriesAlertState idle = idle();
        assertThat(bytes(SeriesAlertStateSerializer.INSTANCE, idle)).isEqualTo(1 + 5 + 1 + 6 + 3);
        assertThat(roundTrip(SeriesAlertStateSerializer.INSTANCE, idle)).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(idle);
    }

    @Test
    void aFiringAlertAndANodataWatchComeBackWithEveryField() throws Exception {
        SeriesAlertState s = firing();
        assertThat(roundTrip(SeriesAlertStateSerializer.INSTANCE, s)).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s);
        assertThat(SeriesAlertStateSerializer.INSTANCE.copy(s)).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s).isNotSameAs(s);
        SeriesAlertState fresh = new SeriesAlertState();
        assertThat(roundTrip(SeriesAlertStateSerializer.INSTANCE, fresh)).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(fresh);
    }

    @Test
    void aResolvedAlertsLeftoverPeakIsNotKept() throws Exception {
        SeriesAlertState s = idle();
        s.peakValue = 3; // left by the last alert; read only while one fires
        SeriesAlertState back = roundTrip(SeriesAlertStateSerializer.INSTANCE, s);
        assertThat(back.peakValue).isZero();
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).ignoringFields("peakValue").isEqualTo(s);
    }

    @Test
    void thePojoStateOfEarlierVersionsIsTakenOver() throws Exception {
        @SuppressWarnings("unchecked")
        TypeSerializer<SeriesAlertState> pojo = TypeInformation.of(SeriesAlertState.class).createSerializer(new SerializerConfigImpl());
        assertThat(pojo.getClass().getSimpleName()).isEqualTo("PojoSerializer");
        for (SeriesAlertState s : new SeriesAlertState[] {idle(), firing(), new SeriesAlertState()}) {
            assertThat(takenOver(pojo, SeriesAlertStateSerializer.INSTANCE, s)).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s);
        }
    }

    private static SeriesAlertState idle() {
        SeriesAlertState s = new SeriesAlertState();
        s.known = "ewma";
        s.lastTs = NOW;
        s.step = 60_000;
        return s;
    }

    private static SeriesAlertState firing() {
        SeriesAlertState s = idle();
        s.known = "ewma,arima";
        s.firing = "ewma";
        s.startedAt = NOW - 120_000;
        s.alertId = "a1b2c3";
        s.models = "ewma";
        s.peakScore = 7.5;
        s.peakValue = -3.25;
        s.peakExpected = Double.NaN;
        s.peakLower = Double.NEGATIVE_INFINITY;
        s.peakUpper = 1e300;
        s.lastSeenWall = NOW + 5;
        s.nodataSince = NOW - 1;
        s.timerAt = NOW + 600_000;
        return s;
    }
}
