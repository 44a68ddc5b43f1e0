package dev.rtm.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.PluginJars;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm replay} on the CSV files a user brings: quoting, odd rows, and what is said about them. */
class CsvReplayTest {

    @TempDir
    Path tmp;

    private Cli replay(Path input, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("replay", input.toString(),
                "--plugins-dir", PluginJars.distPlugins().toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static List<CSVRecord> records(Path csv) throws Exception {
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.parse(r).getRecords();
        }
    }

    @Test
    void quotedFieldsAreReadAndWrittenAsRfc4180() throws Exception {
        Path in = tmp.resolve("long.csv");
        StringBuilder csv = new StringBuilder("timestamp,host,metric,value\r\n");
        for (int i = 0; i < 20; i++) {
            csv.append(1_700_000_000L + 60L * i).append(",\"web,1\",\"cpu \"\"user\"\"\",").append(10 + i % 3).append("\r\n");
        }
        Files.writeString(in, csv);
        Path out = tmp.resolve("results.csv");

        Cli r = replay(in, "-d", "ewma", "-o", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("warning");
        assertThat(r.out()).contains("replayed 1 series, 20 points");
        List<CSVRecord> rows = records(out);
        assertThat(rows.get(0).values()).containsExactly(
                "timestamp", "host", "metric", "value", "model", "expected", "lower", "upper", "score", "anomaly");
        assertThat(rows).hasSize(21);
        assertThat(rows.subList(1, 21)).allSatisfy(row -> {
            assertThat(row.get(1)).isEqualTo("web,1");
            assertThat(row.get(2)).isEqualTo("cpu \"user\"");
            assertThat(row.get(4)).isEqualTo("ewma");
        });
        // the file itself quotes as RFC 4180 does: only where needed, quotes doubled
        assertThat(Files.readAllLines(out).get(1)).startsWith("2023-11-14T22:13:20Z,\"web,1\",\"cpu \"\"user\"\"\",10.0,ewma,");
    }
}
