package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.FlinkCluster;
import dev.rtm.local.KafkaBroker;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same job on a real Flink standalone cluster (JobManager + TaskManager child JVMs from the
 * distribution's jars), submitted over REST with rtm's jars as the job's code and the plugins
 * shipped through the distributed cache to a TaskManager that has no plugins dir of its own.
 */
class ClusterJobIT {

    @TempDir
    Path tmp;

    @Test
    void theJobRunsOnAStandaloneClusterWithPluginsShippedToTheTaskManager() throws Exception {
        Path dist = Path.of(System.getProperty("rtm.dist", "target/rtm"));
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"));
             FlinkCluster cluster = FlinkCluster.start(dist.resolve("lib"), tmp.resolve("flink"))) {
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
            long now = System.currentTimeMillis();
            try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 100; i++) {
                    for (String h : new String[] {"a", "b", "c"}) {
                        p.send(new ProducerRecord<>("metrics", h.getBytes(StandardCharsets.UTF_8), wire.encode(
                                StreamingPipelineTest.sample(h, now - (100 - i) * 1000L, Map.of("cpu.total_pct", 10.0 + i % 7))))).get();
                    }
                }
                p.send(new ProducerRecord<>("metrics", "x".getBytes(StandardCharsets.UTF_8), "junk".getBytes(StandardCharsets.UTF_8))).get();
            }
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("client-plugins"), "ewma");
            String yaml = "detectors: { ewma: {} }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "cluster-it").anomaliesTopic(null)
                    .plugins(new JobSettings.Plugins(tmp.resolve("no-plugins-on-this-taskmanager").toString(), plugins.toString()))
                    .bounded(true).postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            JobClient job = JobRunner.start(cfg, s, 2, JobRunner.Cluster.of("127.0.0.1:" + cluster.restPort(), dist.resolve("lib")));
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);

            try (Connection c = pg.connect(); var st = c.createStatement()) {
                var rs = st.executeQuery("SELECT (SELECT count(*) FROM metrics), (SELECT count(*) FROM anomaly_scores WHERE model = 'ewma')");
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(300);
                assertThat(rs.getLong(2)).isEqualTo(300);
            }
            assertThat(StreamingPipelineTest.readDeadLetters(broker, 1).keySet()).singleElement()
                    .satisfies(reason -> assertThat(reason).startsWith("not an Avro message"));
        }
    }
}
