package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.alert.AlertFunction;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.detect.DetectFunction;
import dev.rtm.host.detect.ScoreRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The shape of the job Flink runs: which stages share a task (no serialisation between them). */
class JobGraphTest {

    @Test
    void theAlertStageRunsChainedToDetectBecauseBothAreKeyedBySeries() {
        // the invariant the chaining relies on: a score row's alert key is its point's detect key
        for (String host : List.of("web-1", "a\u0000b", "\uD83D\uDE00 'x'")) {
            MetricPoint p = new MetricPoint(host, "cpu\u0000", 1, 2);
            ScoreRow r = new ScoreRow(host, "cpu\u0000", "ewma", 1, 2, 2, 1, 3, 0, false);
            assertThat(AlertFunction.key(r)).isEqualTo(DetectFunction.key(p));
        }
        JobSettings settings = JobSettings.from(ConfigLoader.parseText("detectors: { ewma: {} }\n", null, System.getenv()))
                .kafka("localhost:9", "graph-test").plugins(JobSettings.Plugins.at(java.nio.file.Path.of("target/no-plugins")))
                .postgres(new PostgresSettings("jdbc:postgresql://localhost:9/rtm", null, null, 500, Duration.ofMillis(200)))
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        MetricsJob.build(env, settings);
        org.apache.flink.streaming.api.graph.StreamGraph graph = env.getStreamGraph();
        assertThat(graph.getExecutionConfig().isObjectReuseEnabled()).as("chained operators share records, no copy").isTrue();
        org.apache.flink.runtime.jobgraph.JobGraph job = graph.getJobGraph();
        List<String> tasks = new ArrayList<>();
        for (JobVertex v : job.getVertices()) {
            tasks.add(v.getName());
        }
        assertThat(tasks).as("the job's tasks").anySatisfy(t -> assertThat(t).startsWith("detect").contains("alert"));
        assertThat(tasks).as("no task of its own for the alert stage").noneSatisfy(t -> assertThat(t).startsWith("alert"));
    }
}
