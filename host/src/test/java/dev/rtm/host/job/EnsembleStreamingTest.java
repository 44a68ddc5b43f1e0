package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.KafkaBroker;
import dev.rtm.host.detect.DetectorCatalog;
import dev.rtm.host.detect.ScoreRow;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.host.sink.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job (real Kafka, the Flink MiniCluster, real PostgreSQL) running the rcf plugin and
 * an ensemble of ewma and rcf: every model's rows land in {@code anomaly_scores} under its name, and
 * each ensemble row is the combination of the member rows of the same point.
 */
class EnsembleStreamingTest {

    static final String CONFIG = """
            detectors:
              rcf: { shingle-size: 8, warmup: 40 }
              both: { type: ensemble, members: [ewma, rcf], combine: max }
            """;

    @TempDir
    Path tmp;

    @Test
    void rcfAndAnEnsembleWriteTheirOwnRowsWhichCombineTheMembersOfTheSamePoint() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            WireFormat plain = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
            String[] hosts = {"web-1", "db-1"};
            int samples = 400;
            int spike = 300;
            long now = System.currentTimeMillis();
            Random rnd = new Random(7);
            try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < samples; i++) {
                    long ts = now - (samples - i) * 10_000L;
                    for (String h : hosts) {
                        double cpu = 40 + 5 * Math.sin(i / 10.0) + rnd.nextGaussian() * 0.5 + (h.equals("web-1") && i == spike ? 40 : 0);
                        p.send(new ProducerRecord<>("metrics", h.getBytes(StandardCharsets.UTF_8),
                                plain.encode(Schemas.hostMetrics(h, ts, Map.of("cpu.total_pct", cpu), Map.of())))).get();
                    }
                }
            }
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma", "rcf");
            JobSettings settings = JobSettings.from(ConfigLoader.parseText(CONFIG, null, System.getenv()))
                    .kafka(broker.bootstrap(), "rtm-ensemble").anomaliesTopic(null).pluginsDir(plugins).bounded(true)
                    .postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            List<ScoreRow> rows = new ArrayList<>();
            try (CloseableIterator<ScoreRow> it = MetricsJob.build(env, settings).scores().executeAndCollect("ensemble-test")) {
                it.forEachRemaining(rows::add);
            }

            int points = hosts.length * samples;
            for (String model : List.of("ewma", "rcf", "both")) {
                assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = '" + model + "'")).as(model).isEqualTo(points);
            }
            long spikeTime = now - (samples - spike) * 10_000L;
            assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE is_anomaly AND host = 'web-1' AND model IN ('rcf', 'both') "
                    + "AND time = to_timestamp(" + spikeTime + " / 1000.0)")).as("rcf and the ensemble flag the spike").isEqualTo(2);

            // every ensemble row is max(p) of its members' rows of the same point, p = score / (score + threshold)
            double ewmaThreshold;
            double rcfThreshold;
            try (PluginRegistry reg = PluginRegistry.load(plugins);
                 DetectorCatalog cat = DetectorCatalog.build(ConfigLoader.parseText(CONFIG, null, Map.of()), reg)) {
                ewmaThreshold = cat.resolve("ewma").orElseThrow().threshold();
                rcfThreshold = cat.resolve("rcf").orElseThrow().threshold();
            }
            int compared = 0;
            try (Connection c = pg.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT e.score, w.score, r.score, e.is_anomaly, e.expected, r.expected, w.expected
                    FROM anomaly_scores e
                    JOIN anomaly_scores w ON w.host = e.host AND w.metric = e.metric AND w.time = e.time AND w.model = 'ewma'
                    JOIN anomaly_scores r ON r.host = e.host AND r.metric = e.metric AND r.time = e.time AND r.model = 'rcf'
                    WHERE e.model = 'both'""")) {
                while (rs.next()) {
                    double pe = rs.getDouble(1) / (rs.getDouble(1) + 1.0);
                    double pw = rs.getDouble(2) / (rs.getDouble(2) + ewmaThreshold);
                    double pr = rs.getDouble(3) / (rs.getDouble(3) + rcfThreshold);
                    assertThat(pe).isCloseTo(Math.max(pw, pr), within(1e-9));
                    assertThat(rs.getBoolean(4)).isEqualTo(Math.max(pw, pr) >= 0.5);
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(points);
            assertThat(rows).filteredOn(r -> r.model.equals("both")).hasSize(points);
        }
    }

    private static long count(PostgresServer pg, String sql) throws Exception {
        try (Connection c = pg.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
