package dev.rtm.host.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.decode.MetricPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detector that hangs (blocked forever) on one series and is slow (deaf to interrupts) on another,
 * beside ewma, on the real Flink runtime: the job finishes, ewma's rows are exactly those of a run
 * without the bad plugin, the bad plugin is quarantined on those two series only (one quarantine
 * each, on the side output the alert path reads) and keeps scoring the healthy series.
 */
class DetectorTimeBudgetTest {

    @TempDir
    Path tmp;

    @Test
    void aHangingOrSlowDetectorIsInterruptedAndQuarantinedPerSeriesAndTheOthersGoOn() throws Exception {
        Path plugins = PluginJars.linkDistPlugins(tmp.resolve("plugins"), "ewma");
        Files.move(PluginJars.build("stuck", "stuck", false, tmp), plugins.resolve("stuck.jar"));
        String[] hosts = {"web-1", "web-2", "db-1"};
        int n = 300;
        List<MetricPoint> points = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            for (String h : hosts) {
                points.add(new MetricPoint(h, "cpu.total_pct", 1_700_000_000_000L + t * 5_000L, 50 + 10 * Math.sin(t / 9.0) + (t == 200 ? 30 : 0)));
            }
        }
        List<ScoreRow> withBad = run(points, plugins, "detectors: { ewma: {}, stuck: {} }", true);
        List<ScoreRow> alone = run(points, plugins, "detectors: { ewma: {} }", false);

        Map<String, List<ScoreRow>> byModel = withBad.stream().collect(Collectors.groupingBy(r -> r.model));
        assertThat(sorted(byModel.get("ewma"))).as("ewma's rows beside a hanging detector").isEqualTo(sorted(alone));
        Map<String, Long> stuckRows = byModel.get("stuck").stream().collect(Collectors.groupingBy(r -> r.host, Collectors.counting()));
        assertThat(stuckRows.get("web-1")).as("the healthy series keeps its rows").isEqualTo(n);
        assertThat(stuckRows.get("web-2")).as("rows before the hang only").isEqualTo(99);
        // the slow call returned its row, then the series was quarantined for the rest of the run
        assertThat(stuckRows.get("db-1")).as("rows up to the slow call").isEqualTo(50);
        assertThat(changes).containsExactlyInAnyOrder("web-2 stuck true", "db-1 stuck true");
    }

    static final List<String> changes = java.util.Collections.synchronizedList(new ArrayList<>());

    private static List<ScoreRow> run(List<MetricPoint> points, Path plugins, String yaml, boolean watchChanges) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        SingleOutputStreamOperator<ScoreRow> scores = DetectOperator.apply(env.fromData(points).keyBy(DetectFunction::key, Types.STRING),
                new DetectFunction(yaml, null, plugins.toString()).withTimeBudget(200, 600_000));
        CloseableIterator<String> quarantines = scores.getSideOutput(DetectFunction.QUARANTINES)
                .map(c -> c.host() + " " + c.model() + " " + c.quarantined()).collectAsync();
        CloseableIterator<ScoreRow> rows = scores.collectAsync();
        env.execute("time-budget-test");
        List<ScoreRow> out = new ArrayList<>();
        rows.forEachRemaining(out::add);
        if (watchChanges) {
            quarantines.forEachRemaining(changes::add);
        }
        quarantines.close();
        rows.close();
        return out;
    }

    private static List<String> sorted(List<ScoreRow> rows) {
        return rows.stream().map(r -> r.host + " " + r.timestamp + " " + r.score + " " + r.anomaly + " " + r.expected)
                .sorted().toList();
    }
}
