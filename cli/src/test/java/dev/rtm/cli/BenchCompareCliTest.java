package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.cli.bench.BenchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm bench --json} files and {@code rtm bench --compare a.json b.json}. */
class BenchCompareCliTest {

    @TempDir
    Path tmp;

    @Test
    void twoResultFilesAreComparedFigureByFigure() throws Exception {
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        new BenchResult("2026-12-03T07:50:00Z", "2 cores, Java 17", 1000, 500_000, 38_276, 194_939, 0.39, 0,
                List.of(new BenchResult.Latency(5_000, 1051, 694, 1533, 1900)), List.of("ewma"),
                List.of(new BenchResult.Scale(1000, 3, 20_000, false, 0, 200_000, java.util.Map.of(), 1_000_000, java.util.Map.of())),
                new BenchResult.Fuzz(1, 200_000, 200_000, List.of(30_000.0), List.of(40_000.0, 40_000.0), 0.75, 0), 30_000).write(a);
        new BenchResult("2026-12-03T07:52:00Z", "2 cores, Java 17", 1000, 500_000, 56_265, 155_495, 0.72, 0,
                List.of(new BenchResult.Latency(5_000, 1051, 657, 1496, 1700), new BenchResult.Latency(20_000, 4000, 700, 1800, 2500)),
                List.of("ewma"), List.of(new BenchResult.Scale(1000, 3, 22_000, false, 0, 150_000, java.util.Map.of(), 1_200_000, java.util.Map.of())),
                new BenchResult.Fuzz(1, 200_000, 200_000, List.of(36_000.0), List.of(40_000.0, 40_000.0), 0.9, 0), 31_000, 12).write(b);
        assertThat(BenchResult.read(b).latency()).hasSize(2);
        assertThat(BenchResult.read(b).forecastEvery()).isEqualTo(12);
        assertThat(BenchResult.read(a).forecastEvery()).isZero();
        assertThat(BenchResult.read(b).fuzz().fuzzed()).containsExactly(36_000.0);

        Cli r = Cli.run("bench", "--compare", a.toString(), b.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("end to end, values/s \\(higher is better\\) +38276 +56265 +1\\.47")
                .containsPattern("ratio end to end / COPY +0\\.39 +0\\.72 +1\\.85")
                .containsPattern("latency p99 ms at 5000 values/s \\(lower is better\\) +1533 +1496 +0\\.98")
                .containsPattern("checkpoint B/series at 1000 series +200 +150 +0\\.75")
                .containsPattern("ratio beside hostile records / clean +0\\.75 +0\\.90 +1\\.20")
                .doesNotContain("20000 values/s") // only rates both runs measured
                .contains("forecasts differ: a every 0 points, b every 12 (0: none)")
                .doesNotContain("machines differ");
    }

    @Test
    void resultFilesAreDrawnAsOneImage() throws Exception {
        Path lat = tmp.resolve("latency.json");
        Path ser = tmp.resolve("series.json");
        new BenchResult("2026-12-03T07:50:00Z", "2 cores, Java 17", 1000, 500_000, 38_276, 194_939, 0.39, 0,
                List.of(new BenchResult.Latency(5_000, 1051, 694, 1533, 1900), new BenchResult.Latency(20_000, 4000, 334, 952, 1142)),
                List.of("ewma"), List.of()).write(lat);
        new BenchResult("2026-12-03T07:52:00Z", "2 cores, Java 17", 1000, 0, 0, 0, 0, 0, List.of(), List.of("ewma"),
                List.of(new BenchResult.Scale(1000, 3, 20_000, false, 0, 451_000, java.util.Map.of(), 19_000_000, java.util.Map.of()),
                        new BenchResult.Scale(1_000_000, 3, 39_000, false, 0, 437_600_000, java.util.Map.of(), 1_374_000_000, java.util.Map.of())))
                .write(ser);
        Path png = tmp.resolve("bench.png");
        Cli r = Cli.run("bench", "--plot", png.toString(), "--from", lat + "," + ser);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("produce -> committed score row latency; end to end rate by live series; state per live series");
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getHeight()).as("three charts one below the other").isEqualTo(3 * 380);

        Cli none = Cli.run("bench", "--plot", tmp.resolve("x.png").toString(), "--from", tmp.resolve("nothing.json").toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("rtm: --from: no file " + tmp.resolve("nothing.json"));
        Cli bad = Cli.run("bench", "--plot", tmp.resolve("x.svg").toString(), "--from", lat.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--plot").contains("cannot write .svg images");
        new BenchResult("2026-12-03T07:54:00Z", "2 cores, Java 17", 1000, 500_000, 38_276, 194_939, 0.39, 0, List.of(),
                List.of("ewma"), List.of()).write(tmp.resolve("plain.json"));
        Cli empty = Cli.run("bench", "--plot", tmp.resolve("y.png").toString(), "--from", tmp.resolve("plain.json").toString());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("plain.json measured neither latency").doesNotContain("\tat ");
    }

    @Test
    void aFileThatIsNotAResultIsRefusedNamingIt() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.json"), "{\"not\": \"a bench result\"}");
        Cli r = Cli.run("bench", "--compare", a.toString(), tmp.resolve("missing.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("rtm: --compare: no file " + tmp.resolve("missing.json"));

        Cli r2 = Cli.run("bench", "--compare", a.toString(), a.toString());
        assertThat(r2.code()).isEqualTo(2);
        assertThat(r2.err()).startsWith("rtm: --compare: " + a + " is not an rtm bench result file: ").doesNotContain("\tat ");
    }

    @Test
    void aRateTheBenchCannotHoldIsRefused() {
        Cli r = Cli.run("bench", "--rates", "1000,50000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--rates: 50000.0 is not a rate this bench can hold");
    }
}
