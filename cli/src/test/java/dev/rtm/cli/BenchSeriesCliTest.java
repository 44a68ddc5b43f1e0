package dev.rtm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.cli.bench.BenchResult;
import dev.rtm.testing.PluginJars;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtm bench --series} and {@code --detectors}, run tiny on a real broker, MiniCluster and PostgreSQL. */
class BenchSeriesCliTest {

    @TempDir
    Path tmp;

    @Test
    void aSeriesCountWithTwoDetectorsCommitsEveryRowAndMeasuresItsState() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove("RTM_CONFIG");
            env.put("RTM_PG_URL", pg.url());
            Path json = tmp.resolve("series.json");
            Cli r = Cli.run(env, "bench", "--series", "200", "--points", "4", "--detectors", "ewma,arima",
                    "--plugins-dir", PluginJars.distPlugins().toString(), "--json", json.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();

            BenchResult result = BenchResult.read(json);
            assertThat(result.detectors()).containsExactly("ewma", "arima");
            assertThat(result.series()).hasSize(1);
            BenchResult.Scale s = result.series().get(0);
            assertThat(s.series()).isEqualTo(200);
            assertThat(s.rowsMissing()).as("every row committed: 200 x 4 values x (raw + ewma + arima)").isZero();
            assertThat(s.valuesPerSecond()).isPositive();
            // every series' state is in the checkpoint: at least its key, its last point's time and two detectors' bytes
            assertThat(s.checkpointBytesPerSeries()).isGreaterThan(40).isLessThan(1_000_000);
            assertThat(s.heapBytes()).isPositive();
            assertThat(r.out()).containsPattern("Kafka -> decode -> ewma\\+arima -> PostgreSQL")
                    .containsPattern("\\n +200 +4 +\\d+\\*? +\\d+\\.\\d +\\d+ +- *\\n")
                    .doesNotContain("WARNING");
        }
    }

    @Test
    void aDetectorWhosePluginIsMissingIsRefusedNamingIt() throws Exception {
        Path plugins = PluginJars.linkDistPlugins(Files.createDirectories(tmp.resolve("plugins")), "ewma");
        Cli r = Cli.run("bench", "--series", "200", "--detectors", "ewma,rcf", "--plugins-dir", plugins.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("rtm: --detectors: no plugin in " + plugins + " provides rcf (it has: ewma)");
    }

    @Test
    void forecastsAreRefusedOutsideTheThroughputDrainAndBelowZero() {
        Cli series = Cli.run("bench", "--series", "200", "--forecast-every", "12");
        assertThat(series.code()).isEqualTo(2);
        assertThat(series.err().strip()).startsWith("rtm: --forecast-every: only with the throughput drain (not with --series");
        Cli negative = Cli.run("bench", "--forecast-every", "-1");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err().strip()).isEqualTo("rtm: --forecast-every: -1 is not a count of points (0: no forecasts)");
    }

    @Test
    void aResultFileWrittenBeforeTheseOptionsStillReads() throws Exception {
        Path old = Files.writeString(tmp.resolve("old.json"), "{\"when\": \"2026-12-03T07:50:00Z\", \"machine\": \"2 cores, Java 17\", "
                + "\"flushMillis\": 1000, \"values\": 500000, \"endToEndValuesPerSecond\": 38276, \"copyRowsPerSecond\": 194939, "
                + "\"ratio\": 0.39, \"rowsMissing\": 0, \"latency\": []}");
        BenchResult r = BenchResult.read(old);
        assertThat(r.detectors()).containsExactly("ewma");
        assertThat(r.series()).isEmpty();
    }
}
