package dev.rtm.host.job;

import static dev.rtm.testing.PacedProducer.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.DetectorFactory;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.host.sink.Schema;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.testing.PluginJars;
import dev.rtm.testing.PostgresServer;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A savepoint taken by the version before the compact state serializers (rtm at 2980ee5, in
 * {@code src/test/resources/savepoints/2980ee5}) restores into this version: its job ran ewma on
 * hosts a and b for points 0..399 (cpu.total_pct, one a second), points 392..396 a spike that fired
 * an anomaly alert on each, and was stopped with a savepoint while both alerts fired. Started from
 * it, this job reads the same topic on from where that one stopped and
 * <ul>
 *   <li>scores points 400..799 exactly as one uninterrupted run of ewma over 0..799 would (the
 *       detector's saved bytes and the series' progress came through),</li>
 *   <li>resolves both alerts that fired before the savepoint, with their start and fingerprint (the
 *       alert stage's state per model and per series came through).</li>
 * </ul>
 * The fixture is made by {@code FixtureSavepointTest} of that version (its source is in the fixture
 * dir's README).
 */
class SavepointOfEarlierVersionTest {

    static final String[] HOSTS = {"a", "b"};
    static final long START = 1_764_720_000_000L;
    static final int BEFORE = 400;
    static final int ALL = 800;

    @TempDir
    Path tmp;

    static double value(int i) {
        return 40 + 10 * Math.sin(i / 20.0) + (i * 13 % 7) * 0.5 + (i >= 392 && i < 397 ? 60 : 0);
    }

    @Test
    void aSavepointOfTheVersionBeforeRestoresWithDetectorAndAlertStateIntact() throws Exception {
        Path savepoint = Path.of(getClass().getResource("/savepoints/2980ee5/_metadata").toURI()).getParent();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            produce(broker); // the same records in the same order: the savepoint's offsets point past the first 400 of each host
            String checkpoints = tmp.resolve("checkpoints").toUri().toString().replaceAll("/$", "");
            RtmConfig cfg = ConfigLoader.parseText("detectors: { ewma: {} }\njob: { max-past-s: 2000000000, checkpoint-interval-ms: 500, checkpoint-dir: \""
                    + checkpoints + "\" }\n", null, Map.of());
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "restart-test").anomaliesTopic(null)
                    .pluginsDir(plugins).postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            JobClient job = JobRunner.start(cfg, s, 2, null, savepoint.toString(), true);
            try {
                int rows = HOSTS.length * (ALL - BEFORE);
                Poll.until("the restored job's rows and resolved alerts", Duration.ofMinutes(2),
                        () -> count(pg, "metrics") == rows && count(pg, "anomaly_scores") == rows
                                && count(pg, "alert_events") == HOSTS.length);
                assertScoresOfAnUninterruptedRun(pg, plugins);
                try (Connection c = pg.connect(); var st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT host, state, (extract(epoch FROM starts_at) * 1000)::bigint, alert_id "
                             + "FROM alert_events ORDER BY host")) {
                    for (String h : HOSTS) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo(h);
                        assertThat(rs.getString(2)).as("the alert that fired before the savepoint").isEqualTo("resolved");
                        assertThat(rs.getLong(3)).as("its start, from the earlier version's state").isEqualTo(START + 392_000L);
                        assertThat(rs.getString(4)).as("its fingerprint, as the earlier version told it")
                                .isEqualTo(dev.rtm.host.alert.AlertEvent.fingerprint(h, "cpu.total_pct", "anomaly", START + 392_000L));
                    }
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    /** Every stored ewma row equals what a fresh detector fed points 0..799 in order gives. */
    private static void assertScoresOfAnUninterruptedRun(PostgresServer pg, Path plugins) throws Exception {
        try (PluginRegistry reg = PluginRegistry.load(plugins); Connection c = pg.connect(); var st = c.createStatement()) {
            DetectorFactory f = reg.detector("ewma").orElseThrow();
            var detector = f.create(f.configSpec().defaults());
            for (String h : HOSTS) {
                SeriesDetector sd = detector.create(new SeriesKey(h, "cpu.total_pct"));
                for (int i = 0; i < BEFORE; i++) {
                    sd.update(START + i * 1000L, value(i));
                }
                try (ResultSet rs = st.executeQuery("SELECT (extract(epoch FROM time) * 1000)::bigint, value, expected, score, "
                        + "is_anomaly FROM anomaly_scores WHERE host = '" + h + "' AND model = 'ewma' ORDER BY time")) {
                    for (int i = BEFORE; i < ALL; i++) {
                        assertThat(rs.next()).as("%s point %d stored", h, i).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(START + i * 1000L);
                        var a = sd.update(START + i * 1000L, value(i));
                        assertThat(rs.getDouble(3)).as("%s point %d expected", h, i).isEqualTo(a.expected());
                        assertThat(rs.getDouble(4)).as("%s point %d score", h, i).isEqualTo(a.score());
                        assertThat(rs.getBoolean(5)).as("%s point %d flag", h, i).isEqualTo(a.anomaly());
                    }
                }
            }
        }
    }

    private static void produce(KafkaBroker broker) throws Exception {
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < ALL; i++) {
                for (String h : HOSTS) {
                    p.send(new ProducerRecord<>("metrics", h.getBytes(StandardCharsets.UTF_8),
                            wire.encode(Schemas.hostMetrics(h, START + i * 1000L, Map.of("cpu.total_pct", value(i)), Map.of()))));
                }
            }
            p.flush();
        }
    }
}
