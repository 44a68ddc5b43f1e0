package dev.rtm.host.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.SeriesKey;
import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.host.source.SeriesData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detection operator on the real Flink runtime (a local MiniCluster, parallelism 2). */
class DetectFunctionTest {

    @TempDir
    Path tmp;

    @Test
    void scoresEveryPointLikeReplayDropsLatePointsAndIsolatesAFailingPlugin() throws Exception {
        Path plugins = PluginJars.linkDistPlugins(tmp.resolve("plugins"), "ewma", "arima", "lstm");
        Files.move(PluginJars.build("flaky", "flaky", false, tmp), plugins.resolve("flaky.jar"));
        String yaml = """
                detectors:
                  ewma: { alpha: 0.1 }
                  arima: { window: 120, warmup: 100, refit-every: 50 }
                  lstm: { window: 80, retrain-every: 80, lookback: 8, units: 8, epochs: 1 }
                select:
                  - { metric: "cpu.*", detectors: [ewma, flaky] }
                  - { metric: "*", detectors: [ewma, arima, lstm] }
                """;
        Random rnd = new Random(42);
        List<MetricPoint> points = new ArrayList<>();
        String[] hosts = {"web-1", "web-2", "db-1"};
        String[] metrics = {"cpu.total_pct", "mem.used_pct"};
        int late = 0;
        for (int t = 0; t < 400; t++) {
            for (String h : hosts) {
                for (String m : metrics) {
                    double v = Math.round((50 + 10 * Math.sin(t / 15.0) + rnd.nextGaussian()) * 2) / 2.0 + (t == 300 ? 40 : 0);
                    points.add(new MetricPoint(h, m, 1_700_000_000_000L + t * 5_000L, v));
                    if (t % 50 == 7) { // a duplicate and a late point
                        points.add(new MetricPoint(h, m, 1_700_000_000_000L + t * 5_000L, v + 1));
                        points.add(new MetricPoint(h, m, 1_700_000_000_000L + (t - 3) * 5_000L, v));
                        late += 2;
                    }
                }
            }
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<ScoreRow> rows = new ArrayList<>();
        try (CloseableIterator<ScoreRow> it = DetectOperator.apply(env.fromData(points).keyBy(DetectFunction::key, Types.STRING),
                        new DetectFunction(yaml, null, plugins.toString()))
                .executeAndCollect("detect-test")) {
            it.forEachRemaining(rows::add);
        }

        int accepted = points.size() - late;
        Map<String, List<ScoreRow>> byModel = rows.stream().collect(Collectors.groupingBy(r -> r.model));
        assertThat(byModel.get("ewma")).hasSize(accepted);
        long halves = points.stream().filter(p -> p.metric().startsWith("cpu") && p.value() % 1 == 0.5).count();
        assertThat(halves).isPositive();
        long cpuAccepted = accepted / 2;
        assertThat(byModel.get("flaky").size()).as("flaky rows: all cpu points but the ones it failed on")
                .isLessThan((int) cpuAccepted).isGreaterThan((int) (cpuAccepted - halves));

        // arima and lstm run in the same operator and write rows tagged with their names
        for (String model : List.of("arima", "lstm")) {
            assertThat(byModel.get(model)).as(model + " rows: one per accepted mem point").hasSize(accepted / 2)
                    .allMatch(r -> r.metric.equals("mem.used_pct"));
            assertThat(byModel.get(model)).as(model + " forecasts after its warm-up")
                    .filteredOn(r -> !Double.isNaN(r.expected)).hasSizeGreaterThan(accepted / 2 - 3 * 130);
        }

        // the same ewma scores as the batch scorer (replay) gives on the accepted points
        try (PluginRegistry reg = PluginRegistry.load(plugins)) {
            RtmConfig cfg = dev.rtm.host.config.ConfigLoader.parseText(yaml, null, Map.of());
            DetectorCatalog catalog = DetectorCatalog.build(cfg, reg);
            ConfiguredDetector ewma = catalog.resolve("ewma").orElseThrow();
            for (String h : hosts) {
                for (String m : metrics) {
                    SeriesData s = new SeriesData(new SeriesKey(h, m), h, m + ".csv", null);
                    points.stream().filter(p -> p.host().equals(h) && p.metric().equals(m))
                            .forEach(p -> s.add(p.timestamp(), p.value()));
                    Scores expected = BatchScorer.score(ewma, s);
                    List<ScoreRow> got = byModel.get("ewma").stream()
                            .filter(r -> r.host.equals(h) && r.metric.equals(m))
                            .sorted(java.util.Comparator.comparingLong(r -> r.timestamp)).toList();
                    assertThat(got).hasSize(s.size());
                    for (int i = 0; i < s.size(); i++) {
                        assertThat(got.get(i).score).as("%s/%s point %d", h, m, i).isEqualTo(expected.score(i));
                        assertThat(got.get(i).anomaly).isEqualTo(expected.anomaly(i));
                    }
                }
            }
            catalog.close();
        }
        assertThat(byModel.get("ewma")).filteredOn(r -> r.anomaly && r.timestamp == 1_700_000_000_000L + 300 * 5_000L)
                .hasSize(hosts.length * metrics.length);
    }
}
