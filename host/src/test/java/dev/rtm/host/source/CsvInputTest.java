package dev.rtm.host.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.api.SeriesKey;
import dev.rtm.host.RtmException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvInputTest {

    @TempDir
    Path tmp;

    @Test
    void longFormatGroupsSeriesAndReportsBadRowsAndLatePoints() throws Exception {
        Path f = tmp.resolve("long.csv");
        Files.writeString(f, """
                timestamp,host,metric,value
                2024-01-01T00:00:00Z,a,cpu,1
                2024-01-01T00:00:00Z,b,cpu,2
                2024-01-01T00:01:00Z,a,cpu,3
                2024-01-01T00:00:30Z,a,cpu,9
                2024-01-01T00:01:00Z,a,cpu,9
                not-a-time,a,cpu,4
                2024-01-01T00:02:00Z,a,cpu,NaN
                2024-01-01T00:02:00Z,a,cpu
                1704067380,a,cpu,5
                """);
        CsvInput in = CsvInput.read(f);
        assertThat(in.series()).extracting(SeriesData::key)
                .containsExactly(new SeriesKey("a", "cpu"), new SeriesKey("b", "cpu"));
        SeriesData a = in.series().get(0);
        assertThat(a.size()).isEqualTo(3);
        assertThat(a.value(2)).isEqualTo(5);
        assertThat(a.time(2)).isEqualTo(1704067380_000L);
        assertThat(a.dropped()).isEqualTo(2);
        assertThat(in.skippedRows()).isEqualTo(3);
        assertThat(in.warnings()).containsExactly(
                "long.csv:7: timestamp 'not-a-time' is not a date-time or epoch number (row skipped)",
                "long.csv:8: value 'NaN' is not finite (row skipped)",
                "long.csv:9: has 3 fields, the header has 4 (row skipped)",
                "long.csv: 2 points of a/cpu dropped: not newer than the point before them (late or duplicate timestamps)");
    }

    @Test
    void nabLayoutUsesCategoryAndFileName() throws Exception {
        Path f = Files.createDirectories(tmp.resolve("nab/data/realX")).resolve("cpu_1.csv");
        Files.writeString(f, "timestamp,value\n2014-04-01 00:00:00,1.5\n2014-04-01 00:05:00.250,2\n");
        CsvInput in = CsvInput.read(tmp.resolve("nab"));
        SeriesData s = in.series().get(0);
        assertThat(s.key()).isEqualTo(new SeriesKey("realX", "cpu_1"));
        assertThat(s.labelKey()).isEqualTo("realX/cpu_1.csv");
        assertThat(s.category()).isEqualTo("realX");
        assertThat(s.time(1) - s.time(0)).isEqualTo(300_250L);
        assertThat(CsvInput.read(f).series().get(0).labelKey()).isEqualTo("realX/cpu_1.csv");
    }

    @Test
    void unknownHeaderOrEmptyFileIsRefusedNamingTheFile() throws Exception {
        Path f = tmp.resolve("x.csv");
        Files.writeString(f, "time,val\n1,2\n");
        assertThatThrownBy(() -> CsvInput.read(f)).isInstanceOf(RtmException.class)
                .hasMessageContaining("x.csv: header 'time,val' has not the columns 'timestamp,value' or 'timestamp,host,metric,value'");
        Files.writeString(f, "");
        assertThatThrownBy(() -> CsvInput.read(f)).hasMessageContaining("x.csv: the file is empty");
        assertThatThrownBy(() -> CsvInput.read(Files.createDirectories(tmp.resolve("empty"))))
                .hasMessageContaining("no .csv files under");
    }

    @Test
    void timestampForms() {
        assertThat(Timestamps.parse("2014-04-01 00:00:00")).isEqualTo(1396310400000L);
        assertThat(Timestamps.parse("2014-04-01T00:00:00Z")).isEqualTo(1396310400000L);
        assertThat(Timestamps.parse("2014-04-01T02:00:00+02:00")).isEqualTo(1396310400000L);
        assertThat(Timestamps.parse("2014-04-01 00:00:00.500000")).isEqualTo(1396310400500L);
        assertThat(Timestamps.parse("1396310400")).isEqualTo(1396310400000L);
        assertThat(Timestamps.parse("1396310400123")).isEqualTo(1396310400123L);
        assertThat(Timestamps.nab(1396310400500L)).isEqualTo("2014-04-01 00:00:00");
        assertThatThrownBy(() -> Timestamps.parse("2014-13-01 00:00:00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timestamps.parse("2014-04-01 25:00:00")).isInstanceOf(IllegalArgumentException.class);
    }
}
