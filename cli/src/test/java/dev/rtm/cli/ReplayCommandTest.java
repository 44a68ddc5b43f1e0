package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    @TempDir
    Path tmp;

    @Test
    void replaysTheNabSampleIntoTheNabLayoutWithAPlotAndLabelCounts() throws Exception {
        Path nab = PluginJars.nabSample();
        Path out = tmp.resolve("nab");
        Path png = tmp.resolve("plot.png");
        Cli r = Cli.run("replay", nab.toString(), "--plugins-dir", PluginJars.distPlugins().toString(),
                "--detectors", "ewma", "--nab-out", out.toString(), "--plot", png.toString(),
                "--out", tmp.resolve("results.csv").toString(), "--score");
        assertThat(r.code()).as(r.err()).isZero();

        List<Path> files;
        try (Stream<Path> s = Files.walk(out)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).extracting(p -> out.relativize(p).toString()).containsExactly(
                "ewma/artificialNoAnomaly/ewma_art_daily_small_noise.csv",
                "ewma/artificialWithAnomaly/ewma_art_daily_jumpsup.csv",
                "ewma/realAWSCloudwatch/ewma_ec2_cpu_utilization_825cc2.csv",
                "ewma/realAWSCloudwatch/ewma_rds_cpu_utilization_e47b3b.csv",
                "ewma/realKnownCause/ewma_machine_temperature_system_failure.csv",
                "ewma/realKnownCause/ewma_nyc_taxi.csv");
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,label");
            String source = out.relativize(f).toString().replaceFirst("^ewma/", "").replace("ewma_", "");
            List<String> input = Files.readAllLines(nab.resolve("data").resolve(source));
            // one row per input row, in order, same timestamps: NAB refuses anything else (the
            // machine_temperature file repeats an hour at a DST change; those rows score 0)
            assertThat(lines).hasSameSizeAs(input);
            for (int i = 1; i < lines.size(); i++) {
                assertThat(lines.get(i).split(",")[0]).as("%s row %d", f, i).isEqualTo(input.get(i).split(",")[0]);
            }
            for (String l : lines.subList(1, lines.size())) {
                String[] f4 = l.split(",");
                double score = Double.parseDouble(f4[2]);
                assertThat(score).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
                assertThat(f4[3]).isEqualTo("0");
                assertThat(f4[0]).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            }
        }
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        assertThat(r.out()).contains("replayed 6 series").contains("WINDOWS HIT")
                .containsPattern("(?m)^ewma\\s+6\\s+\\d+\\s+\\d+\\s+[0-9.]+%\\s+\\S+\\s+[0-9.]+\\s+\\d+/\\d+ \\(\\d+%\\)");
        // --score: NAB's three profiles against the null detector (-13 raw) and perfect (13 windows)
        assertThat(r.out()).contains("NAB score").containsPattern(
                "(?m)^DETECTOR\\s+STANDARD\\s+LOW FP\\s+LOW FN\\s+THRESHOLD\\s+RAW\\s+NULL\\s+PERFECT\\s+POINTS/S$")
                .containsPattern("(?m)^ewma\\s+-?[0-9]+\\.[0-9]\\s+-?[0-9]+\\.[0-9]\\s+-?[0-9]+\\.[0-9]\\s+[0-9.]+\\s+-?[0-9.]+\\s+-13\\s+13\\s+\\S+$")
                .containsPattern("(?m)^realKnownCause\\s+9\\s+")
                .containsPattern("(?m)^realKnownCause/nyc_taxi.csv\\s+5\\s+-?[0-9.]+ \\(\\d+/\\d+\\)$");
        byte[] chart = java.util.Arrays.copyOf(Files.readAllBytes(tmp.resolve("nab-score.png")), 8);
        assertThat(chart).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    @Test
    void scoreWithoutLabelsIsAClearError() throws Exception {
        Path f = tmp.resolve("cpu.csv");
        Files.writeString(f, "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n");
        Cli r = Cli.run("replay", f.toString(), "--plugins-dir", PluginJars.distPlugins().toString(),
                "--detectors", "ewma", "--out", tmp.resolve("r.csv").toString(), "--score");
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("--score needs NAB label windows").doesNotContain("Exception");
    }

    @Test
    void nabOutputHasOneRowPerInputRowWithRepeatedTimestampsAndGaps() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("corpus/data/realTest"));
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        String[] times = {"2014-03-09 00:00:00", "2014-03-09 01:00:00", "2014-03-09 02:00:00",
            "2014-03-09 01:00:00", "2014-03-09 02:00:00", "2014-03-09 02:00:00", "2014-03-10 07:00:00",
            "2014-03-10 08:00:00", "2014-03-10 06:00:00", "2014-03-10 09:00:00"};
        for (int i = 0; i < times.length; i++) {
            csv.append(times[i]).append(',').append(10 + i % 3).append('\n');
        }
        Files.writeString(data.resolve("dst.csv"), csv);
        Path out = tmp.resolve("nab-dst");
        Cli r = Cli.run("replay", tmp.resolve("corpus").toString(), "--plugins-dir", PluginJars.distPlugins().toString(),
                "--detectors", "ewma", "--nab-out", out.toString(), "--out", tmp.resolve("dst.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("ewma/realTest/ewma_dst.csv"));
        assertThat(lines).hasSize(times.length + 1);
        for (int i = 0; i < times.length; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(f[0]).isEqualTo(times[i]);
            assertThat(Double.parseDouble(f[1])).isEqualTo(10 + i % 3);
        }
        // the rows the replay dropped (not newer than the point before) are there with score 0
        for (int dropped : new int[] {3, 4, 5, 8}) {
            assertThat(lines.get(dropped + 1).split(",")[2]).isEqualTo("0.0");
        }
        assertThat(r.err()).contains("4 points of realTest/dst dropped");
    }

    @Test
    void unknownDetectorListsTheAvailableOnes() {
        Cli r = Cli.run("replay", PluginJars.nabSample().toString(), "--plugins-dir",
                PluginJars.distPlugins().toString(), "--detectors", "ewma,lstmm", "--out", tmp.resolve("x.csv").toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("rtm: unknown detector 'lstmm'; available: arima, ewma, lstm, rcf\n");
    }

    @Test
    void badConfigIsRefusedNamingTheKeyWithoutAStackTrace() throws Exception {
        Path cfg = tmp.resolve("rtm.yaml");
        Files.writeString(cfg, """
                detectors:
                  ewma:
                    alpha: 1.5
                    treshold: 3
                """);
        Cli r = Cli.run("replay", PluginJars.nabSample().toString(), "--config", cfg.toString(),
                "--plugins-dir", PluginJars.distPlugins().toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("invalid config " + cfg)
                .contains("detectors.ewma.alpha: 1.5 is out of range; allowed: a number in (0, 1]")
                .contains("detectors.ewma.treshold: unknown key; allowed keys: alpha, threshold, warmup, min-std")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingInputIsAClearError() {
        Cli r = Cli.run("replay", tmp.resolve("nothing-here").toString(), "--plugins-dir",
                PluginJars.distPlugins().toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("does not exist").doesNotContain("Exception");
    }
}
