package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
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

    @Test
    void everySkippedRowIsNamedAndCountedOnce() throws Exception {
        Path in = tmp.resolve("bad.csv");
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 1; i <= 7; i++) {
            csv.append("2024-01-01 00:0").append(i).append(":00,x").append(i).append('\n');
        }
        csv.append("2024-01-01 00:08:00,5,extra\n").append("2024-01-01 00:09:00,6\n").append("2024-01-01 00:10:00,7\n");
        Files.writeString(in, csv);

        Cli r = replay(in, "-d", "ewma", "-o", tmp.resolve("r.csv").toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("rtm: warning: bad.csv:2: value 'x1' is not a number (row skipped)")
                .contains("rtm: warning: bad.csv:6: value 'x5' is not a number (row skipped)")
                .doesNotContain("bad.csv:7:")
                .contains("rtm: warning: bad.csv: 8 rows skipped in all (the first 5 are listed above)");
        // the row with an extra field is skipped, not read as 5
        assertThat(r.out()).contains("replayed 1 series, 2 points").contains("input: 8 unreadable rows skipped");
        assertThat(Files.readAllLines(tmp.resolve("r.csv"))).hasSize(3);

        Path extra = tmp.resolve("extra.csv");
        Files.writeString(extra, "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,5,extra\n2024-01-01 00:02:00,2\n");
        Cli e = replay(extra, "-d", "ewma", "-o", tmp.resolve("e.csv").toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.err()).isEqualTo("rtm: warning: extra.csv:3: has 3 fields, the header has 2 (row skipped)\n");
        assertThat(e.out()).contains("replayed 1 series, 2 points").contains("input: 1 unreadable rows skipped");
    }

    @Test
    void aFileWithoutDataRowsIsNotASeries() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(dir.resolve("a.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n");
        Files.writeString(dir.resolve("header-only.csv"), "timestamp,value\n");

        Cli r = replay(dir, "-d", "ewma", "-o", tmp.resolve("r.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("rtm: warning: header-only.csv: no data rows after the header (file skipped)");
        assertThat(r.out()).contains("replayed 1 series, 2 points").containsPattern("(?m)^ewma\\s+1\\s+2\\s");

        Cli alone = replay(dir.resolve("header-only.csv"), "-d", "ewma", "-o", tmp.resolve("r2.csv").toString());
        assertThat(alone.code()).isEqualTo(Main.USER_ERROR);
        assertThat(alone.err()).isEqualTo("rtm: " + dir.resolve("header-only.csv") + ": no data rows after the header\n");
        assertThat(alone.out()).doesNotContain("replayed");
    }

    @Test
    void aDetectorNamedTwiceRunsOnceAndIsSaid() throws Exception {
        Path in = tmp.resolve("cpu.csv");
        Files.writeString(in, "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n2024-01-01 00:02:00,3\n");
        Path out = tmp.resolve("r.csv");

        Cli r = replay(in, "-d", "ewma,ewma", "-o", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("rtm: warning: --detectors names 'ewma' more than once; it runs once");
        assertThat(Files.readAllLines(out)).hasSize(1 + 3);
        assertThat(r.out()).containsPattern("(?m)^ewma\\s+1\\s+3\\s").doesNotContainPattern("(?s)ewma\\s+1\\s+3\\s.*\\newma\\s");
    }

    @Test
    void aFolderReplaySkipsFilesItCannotReadAndSaysWhy() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mixed"));
        Files.writeString(dir.resolve("a-good.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n");
        Files.write(dir.resolve("b-binary.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, (byte) 0xff, (byte) 0xfe});
        Files.writeString(dir.resolve("c-header.csv"), "time,val\n1,2\n");
        Files.writeString(dir.resolve("d-quotes.csv"), "timestamp,value\n2024-01-01 00:00:00,\"1\"x\n");
        Files.writeString(dir.resolve("e-good.csv"), "timestamp,value\n2024-01-01 00:00:00,3\n2024-01-01 00:01:00,4\n");
        Path out = tmp.resolve("r.csv");

        Cli r = replay(dir, "-d", "ewma", "-o", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("rtm: warning: b-binary.csv: not UTF-8 text (a binary file?) (file skipped)")
                .contains("rtm: warning: c-header.csv: header 'time,val' has not the columns "
                        + "'timestamp,value' or 'timestamp,host,metric,value' (file skipped)")
                .containsPattern("rtm: warning: d-quotes.csv: broken quoting: .*\\(file skipped\\)")
                .doesNotContain("Exception");
        assertThat(r.out()).contains("replayed 2 series, 4 points").contains("input: 3 files skipped: b-binary.csv: not UTF-8");
        assertThat(Files.readAllLines(out)).hasSize(1 + 4);

        Cli strict = replay(dir, "-d", "ewma", "-o", tmp.resolve("s.csv").toString(), "--strict");
        assertThat(strict.code()).isEqualTo(Main.USER_ERROR);
        assertThat(strict.err()).contains("rtm: --strict: 3 files and 0 rows of " + dir + " could not be read");
        assertThat(strict.out()).doesNotContain("replayed");

        Files.delete(dir.resolve("a-good.csv"));
        Files.delete(dir.resolve("e-good.csv"));
        Cli none = replay(dir, "-d", "ewma", "-o", tmp.resolve("n.csv").toString());
        assertThat(none.code()).isEqualTo(Main.USER_ERROR);
        assertThat(none.err()).contains("rtm: nothing to replay in " + dir + ": none of its 3 .csv files could be read "
                + "(b-binary.csv: not UTF-8 text (a binary file?); ...)");
    }
}
