package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.Assessment;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.KafkaBroker;
import dev.rtm.host.detect.DetectorCatalog;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.host.sink.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm-up from history ({@code job.warm-up-points}) on real Kafka, the Flink MiniCluster and real
 * PostgreSQL: a job that starts without state on a series whose earlier points are in
 * {@code metrics} scores it exactly as a detector that had seen the last N of those points; a series
 * with no history starts cold, exactly as a fresh detector.
 */
class WarmUpFromHistoryTest {

    static final int WARM_UP = 300;
    static final String CONFIG = """
            job: { warm-up-points: %d }
            detectors:
              ewma: {}
              arima: {}
            """.formatted(WARM_UP);

    @TempDir
    Path tmp;

    @Test
    void aSeriesWithStoredPointsScoresAsIfTheDetectorsHadSeenTheLastNOfThem() throws Exception {
        int stored = 400;   // points of web-1/cpu already in the database (a previous job wrote them)
        int streamed = 200; // points the new job reads from Kafka, for web-1/cpu and web-1/mem
        long start = System.currentTimeMillis() - (stored + streamed) * 10_000L;
        Random rnd = new Random(11);
        double[] cpu = new double[stored + streamed];
        double[] mem = new double[stored + streamed];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = 40 + 5 * Math.sin(i / 12.0) + rnd.nextGaussian();
            mem[i] = 70 + 2 * Math.cos(i / 20.0) + rnd.nextGaussian() * 0.5;
        }
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics (time, host, metric, value) VALUES (?, 'web-1', 'cpu.total_pct', ?)")) {
                    for (int i = 0; i < stored; i++) {
                        ps.setTimestamp(1, new Timestamp(start + i * 10_000L));
                        ps.setDouble(2, cpu[i]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            WireFormat plain = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
            try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = stored; i < stored + streamed; i++) {
                    p.send(new ProducerRecord<>("metrics", "web-1".getBytes(StandardCharsets.UTF_8),
                            plain.encode(Schemas.hostMetrics("web-1", start + i * 10_000L,
                                    Map.of("cpu.total_pct", cpu[i], "mem.used_pct", mem[i]), Map.of())))).get();
                }
            }
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma", "arima");
            JobSettings settings = JobSettings.from(ConfigLoader.parseText(CONFIG, null, System.getenv()))
                    .kafka(broker.bootstrap(), "rtm-warm-up").anomaliesTopic(null).pluginsDir(plugins).bounded(true)
                    .postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            MetricsJob.build(env, settings);
            env.execute("warm-up-test");

            try (PluginRegistry reg = PluginRegistry.load(plugins);
                 DetectorCatalog cat = DetectorCatalog.build(ConfigLoader.parseText(CONFIG, null, Map.of()), reg)) {
                for (String model : List.of("ewma", "arima")) {
                    // cpu: primed with its last WARM_UP stored points (not all 400)
                    List<Double> expectedCpu = reference(cat, model, start, "cpu.total_pct", cpu, stored - WARM_UP, stored, streamed);
                    // mem: nothing stored, so it starts cold
                    List<Double> expectedMem = reference(cat, model, start, "mem.used_pct", mem, stored, stored, streamed);
                    assertThat(scores(pg, model, "cpu.total_pct")).as(model + " on a series with history").isEqualTo(expectedCpu);
                    assertThat(scores(pg, model, "mem.used_pct")).as(model + " on a series without history").isEqualTo(expectedMem);
                    List<Double> cold = reference(cat, model, start, "cpu.total_pct", cpu, stored, stored, streamed);
                    assertThat(expectedCpu).as(model + ": warming up changes the first scores").isNotEqualTo(cold);
                }
            }
        }
    }

    /** Scores of a fresh detector fed {@code values[from, emitFrom)} silently, then scoring {@code count} points. */
    private static List<Double> reference(DetectorCatalog cat, String model, long start, String metric, double[] values,
                                          int from, int emitFrom, int count) throws Exception {
        SeriesDetector sd = cat.resolve(model).orElseThrow().detector().create(new SeriesKey("web-1", metric));
        for (int i = from; i < emitFrom; i++) {
            sd.update(start + i * 10_000L, values[i]);
        }
        List<Double> out = new ArrayList<>();
        for (int i = emitFrom; i < emitFrom + count; i++) {
            Assessment a = sd.update(start + i * 10_000L, values[i]);
            out.add(a.score());
        }
        return out;
    }

    private static List<Double> scores(PostgresServer pg, String model, String metric) throws Exception {
        List<Double> out = new ArrayList<>();
        try (Connection c = pg.connect(); var ps = c.prepareStatement(
                "SELECT score FROM anomaly_scores WHERE host = 'web-1' AND metric = ? AND model = ? ORDER BY time")) {
            ps.setString(1, metric);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
        }
        return out;
    }
}
