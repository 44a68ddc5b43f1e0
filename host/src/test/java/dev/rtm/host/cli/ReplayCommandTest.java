package dev.rtm.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.PluginJars;
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
                "--out", tmp.resolve("results.csv").toString());
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
            long inputRows = Files.lines(nab.resolve("data").resolve(source)).count() - 1;
            // every input row is there except the late/duplicate ones the replay drops and counts
            assertThat(lines.size() - 1L).isBetween(inputRows - 12, inputRows);
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
    }

    @Test
    void unknownDetectorListsTheAvailableOnes() {
        Cli r = Cli.run("replay", PluginJars.nabSample().toString(), "--plugins-dir",
                PluginJars.distPlugins().toString(), "--detectors", "ewma,lstmm", "--out", tmp.resolve("x.csv").toString());
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).isEqualTo("rtm: unknown detector 'lstmm'; available: arima, ewma, lstm\n");
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
