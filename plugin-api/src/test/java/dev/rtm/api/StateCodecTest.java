package dev.rtm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    @Test
    void roundTripsEveryType() throws StateFormatException {
        double[] big = new double[1000];
        Arrays.setAll(big, i -> i * 0.5);
        byte[] bytes = StateWriter.begin("m", 2).writeInt(7).writeLong(1L << 40).writeDouble(Math.PI)
                .writeBoolean(true).writeDoubles(big).writeFloats(new float[] {1.5f}).writeString("ü").toBytes();
        StateReader r = StateReader.open(bytes, "m", 3);
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.readInt()).isEqualTo(7);
        assertThat(r.readLong()).isEqualTo(1L << 40);
        assertThat(r.readDouble()).isEqualTo(Math.PI);
        assertThat(r.readBoolean()).isTrue();
        assertThat(r.readDoubles()).containsExactly(big);
        assertThat(r.readFloats()).containsExactly(1.5f);
        assertThat(r.readString()).isEqualTo("ü");
        r.end();
    }

    @Test
    void refusesForeignNewerAndBrokenState() throws StateFormatException {
        byte[] bytes = StateWriter.begin("ewma", 2).writeDouble(1).toBytes();
        assertThatThrownBy(() -> StateReader.open(bytes, "arima", 2)).hasMessageContaining("state of model 'ewma'");
        assertThatThrownBy(() -> StateReader.open(bytes, "ewma", 1)).hasMessageContaining("version 2");
        assertThatThrownBy(() -> StateReader.open(new byte[] {1, 2}, "ewma", 1)).isInstanceOf(StateFormatException.class);
        assertThatThrownBy(() -> StateReader.open(new byte[] {1, 2, 3, 4, 5}, "ewma", 1)).hasMessageContaining("magic");
        StateReader r = StateReader.open(bytes, "ewma", 2);
        assertThat(r.readDouble()).isEqualTo(1.0);
        assertThatThrownBy(r::readLong).isInstanceOf(StateFormatException.class);
        StateReader r2 = StateReader.open(bytes, "ewma", 2);
        assertThatThrownBy(r2::readDoubles).hasMessageContaining("truncated");
        StateReader r3 = StateReader.open(bytes, "ewma", 2);
        assertThatThrownBy(r3::end).hasMessageContaining("unexpected bytes");
    }

    @Test
    void theHeaderIsSevenBytesForEwmaAndTheOlderSixteenByteHeaderIsStillRead() throws StateFormatException {
        assertThat(StateWriter.begin("ewma", 2).toBytes()).containsExactly('r', 4, 'e', 'w', 'm', 'a', 2);
        String longName = "m".repeat(300); // a name of more than 127 bytes takes two length bytes
        StateReader named = StateReader.open(StateWriter.begin(longName, 300).writeInt(5).toBytes(), longName, 300);
        assertThat(named.version()).isEqualTo(300);
        assertThat(named.readInt()).isEqualTo(5);

        // as states were written before 2026-12-03: magic RTMS, length-prefixed name, version as an int
        java.nio.ByteBuffer old = java.nio.ByteBuffer.allocate(24).putInt(0x52544D53).putInt(4).put("ewma".getBytes())
                .putInt(2).putDouble(1.5);
        StateReader r = StateReader.open(old.array(), "ewma", 2);
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.readDouble()).isEqualTo(1.5);
        r.end();
        assertThatThrownBy(() -> StateReader.open(old.array(), "arima", 2)).hasMessageContaining("state of model 'ewma'");

        assertThatThrownBy(() -> StateReader.open(new byte[0], "ewma", 1)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> StateReader.open(new byte[] {'r', 9, 'e'}, "ewma", 1)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> StateReader.open(new byte[] {'r', -1, -1, -1, -1, -1, 1}, "ewma", 1))
                .hasMessageContaining("corrupt state header");
    }

    @Test
    void assessmentAndForecastContracts() {
        assertThatThrownBy(() -> new Assessment(1, 0, 2, Double.NaN, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Assessment(1, 0, 2, -1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Assessment.NONE.score()).isZero();
        double[] e = {1, 2};
        Forecast f = new Forecast(e, new double[] {0, 1}, new double[] {2, 3});
        e[0] = 99;
        assertThat(f.expected()[0]).isEqualTo(1);
        assertThat(f.horizon()).isEqualTo(2);
        assertThatThrownBy(() -> new Forecast(new double[1], new double[2], new double[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new SeriesKey("h", "m").seed()).isEqualTo(new SeriesKey("h", "m").seed())
                .isNotEqualTo(new SeriesKey("m", "h").seed());
    }
}
