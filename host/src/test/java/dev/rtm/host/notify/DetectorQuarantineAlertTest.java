package dev.rtm.host.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.testing.PluginJars;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.job.JobSettings;
import dev.rtm.host.job.MetricsJob;
import dev.rtm.host.sink.Schema;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detector plugin that hangs, on the whole path: Kafka → the job (MiniCluster) → the detector is
 * interrupted at its time budget and quarantined on the series → a {@code detector} alert in
 * {@code alert_events} → a notification through the real webhook plugin to a local receiver, naming
 * the detector, the series and how long the call took; ewma goes on scoring every point.
 */
class DetectorQuarantineAlertTest {

    @TempDir
    Path tmp;

    @Test
    void aHangingDetectorIsToldToPeopleAsADetectorAlert() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"));
             HttpRecorder receiver = HttpRecorder.start()) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(1, "metrics", "metrics-dlq");
            String yaml = "detectors: { ewma: {}, stuck: {} }\n"
                    + "job: { detector-time-budget-ms: 200, quarantine-backoff-s: 600 }\n"
                    + "alerts: { group-wait: 0s, group-interval: 1s }\n"
                    + "channels:\n  ops: { type: webhook, url: \"" + receiver.url("/hook") + "\" }\n";
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma", "webhook-alert");
            Files.move(PluginJars.build("stuck", "stuck", false, tmp), plugins.resolve("stuck.jar"));
            JobSettings s = JobSettings.from(ConfigLoader.parseText(yaml, null, System.getenv()))
                    .kafka(broker.bootstrap(), "quarantine-test").anomaliesTopic(null).pluginsDir(plugins)
                    .postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(100)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(1000);
            MetricsJob.build(env, s);
            JobClient job = env.executeAsync("quarantine-alert-test");
            int n = 150;
            try {
                long now = System.currentTimeMillis();
                WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
                try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < n; i++) {
                        double cpu = 40 + 3 * Math.sin(i / 5.0);
                        p.send(new ProducerRecord<>("metrics", "web-2".getBytes(StandardCharsets.UTF_8), wire.encode(
                                Schemas.hostMetrics("web-2", now - (n - i) * 5_000L, Map.of("cpu.total_pct", cpu), Map.of())))).get();
                    }
                }
                RecordedRequest told = receiver.awaitRequest(q -> q.bodyText().contains("\"alertname\":\"detector\""),
                        Duration.ofSeconds(90));
                JsonNode alert = new ObjectMapper().readTree(told.bodyText()).get("alerts").get(0);
                assertThat(alert.get("status").asText()).isEqualTo("firing");
                assertThat(alert.get("labels").get("models").asText()).isEqualTo("stuck");
                assertThat(alert.get("annotations").get("summary").asText())
                        .startsWith("detector stuck is quarantined on cpu.total_pct on web-2: a call took ")
                        .contains("over its time budget");
                Poll.until("ewma scores for every point", Duration.ofSeconds(60),
                        () -> count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'ewma'") >= n);
                assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'ewma'")).as("ewma scored every point").isEqualTo(n);
                assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'stuck'")).as("stuck: the points before it hung").isEqualTo(99);
                assertThat(count(pg, "SELECT count(*) FROM alert_events WHERE kind = 'detector' AND models = 'stuck' AND host = 'web-2' "
                        + "AND state = 'firing'")).isEqualTo(1);
            } finally {
                job.cancel().get();
                // the result its client keeps: the MiniCluster may already have shut down once the job ended
                Poll.until("the cancelled job ended", Duration.ofSeconds(60), () -> job.getJobExecutionResult().isDone());
            }
        }
    }

    private static long count(PostgresServer pg, String sql) throws Exception {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
