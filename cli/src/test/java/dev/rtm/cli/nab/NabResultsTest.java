package dev.rtm.cli.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.host.RtmException;
import dev.rtm.host.sink.NabSeries;
import dev.rtm.host.source.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NabResults} reads NAB result files as RFC 4180 CSV. */
class NabResultsTest {

    static final Path DIR = Path.of("target/nab-results-test");

    @Test
    void aQuotedFieldWithACommaKeepsTheColumnsInPlace() throws IOException {
        Path dir = DIR.resolve("quoted");
        write(dir.resolve("realKnownCause/det_nyc_taxi.csv"),
                "timestamp,note,value,anomaly_score,label\n"
                        + "2014-07-01 00:00:00,\"disk full, retried\",10844.0,0.25,0\n"
                        + "\n"
                        + "2014-07-01 00:30:00,plain,8127.0,0.75,0\n");

        List<NabSeries> read = NabResults.read(dir, "det");

        assertThat(read).hasSize(1);
        NabSeries s = read.get(0);
        assertThat(s.file()).isEqualTo("realKnownCause/nyc_taxi.csv");
        assertThat(s.times()).containsExactly(Timestamps.parse("2014-07-01 00:00:00"),
                Timestamps.parse("2014-07-01 00:30:00"));
        assertThat(s.values()).containsExactly(10844.0, 8127.0);
        assertThat(s.scores()).containsExactly(0.25, 0.75);
    }

    @Test
    void anUnreadableRowIsNamedByFileAndLine() throws IOException {
        Path dir = DIR.resolve("broken");
        write(dir.resolve("realKnownCause/det_nyc_taxi.csv"),
                "timestamp,value,anomaly_score\n"
                        + "2014-07-01 00:00:00,1.0,0.5\n"
                        + "\n"
                        + "2014-07-01 00:30:00,2.0,\"0,5\"\n");

        assertThatThrownBy(() -> NabResults.read(dir, "det"))
                .isInstanceOf(RtmException.class)
                .hasMessageContaining("det_nyc_taxi.csv:4: unreadable row");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
