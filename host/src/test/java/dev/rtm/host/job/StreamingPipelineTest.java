package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.Schemas;
import dev.rtm.local.ApicurioRegistry;
import dev.rtm.wire.WireFormat;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.detect.ScoreRow;
import dev.rtm.local.KafkaBroker;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import java.sql.Connection;
import dev.rtm.host.sink.DeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka (a real broker) + a schema registry (real Apicurio) → Flink (the real runtime, local
 * MiniCluster) → PostgreSQL (a real server),
 * with every kind of malformed record dead-lettered with its bytes and reason, and a full replay of
 * the topic that adds no row.
 */
class StreamingPipelineTest {

    @TempDir
    Path tmp;

    static GenericRecord sample(String host, long ts, Map<String, Double> metrics) {
        return Schemas.hostMetrics(host, ts, metrics, Map.of());
    }

    @Test
    void goodRecordsAreStoredAndScoredBadOnesDeadLetteredAndAReplayDuplicatesNothing() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             ApicurioRegistry registry = ApicurioRegistry.start(
                     Path.of(System.getProperty("rtm.test.apicurio", "target/rtm/apicurio")), tmp.resolve("registry"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                assertThat(Schema.apply(c)).isIn("postgresql", "timescaledb");
                assertThat(Schema.apply(c)).as("applying twice is fine").isIn("postgresql", "timescaledb");
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq", "anomalies", "alerts");
            // producers with the registry (Confluent framing) and without (single-object encoding)
            WireFormat wire = new WireFormat(Schemas.HOST_METRICS, new SchemaRegistryClient(registry.confluentUrl()), "metrics-value");
            WireFormat plain = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
            long now = System.currentTimeMillis();
            String[] hosts = {"web-1", "web-2", "db-1"};
            int samples = 120;
            Map<String, byte[]> bad = new LinkedHashMap<>();
            try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < samples; i++) {
                    long ts = now - (samples - i) * 5_000L;
                    for (String h : hosts) {
                        double cpu = 40 + 5 * Math.sin(i / 7.0) + ((i * 13 + h.length()) % 5) * 0.2 + (h.equals("web-1") && i == 100 ? 50 : 0);
                        Map<String, Double> m = new LinkedHashMap<>();
                        m.put("cpu.total_pct", cpu);
                        m.put("mem.used_pct", 60 + (i % 4) * 0.1);
                        WireFormat w = h.equals("db-1") ? plain : wire;
                        p.send(new ProducerRecord<>("metrics", h.getBytes(StandardCharsets.UTF_8), w.encode(sample(h, ts, m)))).get();
                    }
                }
                Map<String, Double> half = new LinkedHashMap<>();
                half.put("disk.used_pct", 70.0);
                half.put("swap.used_pct", Double.NaN);
                bad.put("not an Avro message", "garbage{".getBytes(StandardCharsets.UTF_8));
                bad.put("unknown schema id 987654", new byte[] {0, 0, 0x0F, 0x12, 0x06, 1, 2, 3});
                bad.put("missing host", wire.encode(sample("", now, Map.of("a", 1.0))));
                bad.put("metric swap.used_pct is NaN (the other 1 values were kept)", wire.encode(sample("db-1", now, half)));
                bad.put("in the future", wire.encode(sample("web-2", now + Duration.ofDays(1).toMillis(), Map.of("a", 1.0))));
                bad.put("empty message", new byte[0]);
                for (byte[] b : bad.values()) {
                    p.send(new ProducerRecord<>("metrics", "bad".getBytes(StandardCharsets.UTF_8), b)).get();
                }
            }

            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            List<ScoreRow> rows = run(broker, registry.confluentUrl(), pg, plugins, "rtm-test");
            int points = hosts.length * samples * 2 + 1;
            assertThat(count(pg, "SELECT count(*) FROM metrics")).isEqualTo(points);
            assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'ewma'")).isEqualTo(points);
            assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE is_anomaly AND host = 'web-1' "
                    + "AND metric = 'cpu.total_pct' AND time = to_timestamp(" + (now - (samples - 100) * 5_000L) + " / 1000.0)"))
                    .isEqualTo(1);
            assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE expected IS NULL"))
                    .as("ewma's warm-up (20 points) of each series; the one-point series is all warm-up")
                    .isEqualTo(hosts.length * 2 * 20 + 1);

            // flagged points are also on the anomalies topic, as Avro
            List<GenericRecord> anomalies = readAnomalies(broker, registry.confluentUrl(), (int) rows.stream().filter(r -> r.anomaly).count());
            assertThat(anomalies).hasSize((int) rows.stream().filter(r -> r.anomaly).count());
            assertThat(anomalies).anySatisfy(a -> {
                assertThat(a.get("host").toString()).isEqualTo("web-1");
                assertThat(a.get("metric").toString()).isEqualTo("cpu.total_pct");
                assertThat(a.get("model").toString()).isEqualTo("ewma");
                assertThat(a.get("timestamp")).isEqualTo(now - (samples - 100) * 5_000L);
            });

            // a replay of the whole topic (a new consumer group reads it from the start): no row lost or doubled
            run(broker, registry.confluentUrl(), pg, plugins, "rtm-test-replay");
            assertThat(count(pg, "SELECT count(*) FROM metrics")).isEqualTo(points);
            assertThat(count(pg, "SELECT count(*) FROM anomaly_scores")).isEqualTo(points);

            assertThat(rows).hasSize(hosts.length * samples * 2 + 1);
            assertThat(rows).filteredOn(r -> r.host.equals("web-1") && r.metric.equals("cpu.total_pct") && r.anomaly)
                    .extracting(r -> r.timestamp).contains(now - (samples - 100) * 5_000L);
            assertThat(rows).filteredOn(r -> r.metric.equals("disk.used_pct")).hasSize(1);

            Map<String, byte[]> dlq = readDeadLetters(broker, 2 * bad.size());
            assertThat(dlq).as("dead letters, keyed by reason and offset (the replay wrote them again)").hasSize(bad.size());
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                assertThat(dlq.entrySet()).as("dead letter with reason containing '%s'", e.getKey())
                        .anySatisfy(d -> {
                            assertThat(d.getKey()).contains(e.getKey());
                            assertThat(d.getValue()).isEqualTo(e.getValue());
                        });
            }
        }
    }

    private static List<ScoreRow> run(KafkaBroker broker, String registryUrl, PostgresServer pg, Path plugins, String group)
            throws Exception {
        JobSettings settings = JobSettings.from(ConfigLoader.parseText("detectors: { ewma: {} }\n", null, System.getenv()))
                .kafka(broker.bootstrap(), group).registry(registryUrl)
                .plugins(new JobSettings.Plugins(plugins.resolveSibling("not-on-this-taskmanager").toString(), plugins.toString()))
                .bounded(true).postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                .forecasts(JobSettings.Forecasts.OFF).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        MetricsJob.Streams streams = MetricsJob.build(env, settings);
        List<ScoreRow> rows = new ArrayList<>();
        try (CloseableIterator<ScoreRow> it = streams.scores().executeAndCollect("pipeline-test-" + group)) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static long count(PostgresServer pg, String sql) throws Exception {
        try (Connection c = pg.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<GenericRecord> readAnomalies(KafkaBroker broker, String registryUrl, int expected) throws Exception {
        List<GenericRecord> out = new ArrayList<>();
        try (var c = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "anomaly-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("anomalies"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(dev.rtm.host.sink.AnomalySink.decode(r.value(), registryUrl));
                }
            }
        }
        return out;
    }

    /** Reads {@code expected} dead letters (or what came within a minute), keyed by reason and source offset. */
    static Map<String, byte[]> readDeadLetters(KafkaBroker broker, int expected) {
        Map<String, byte[]> out = new HashMap<>();
        int read = 0;
        try (var c = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("metrics-dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    read++;
                    String reason = new String(r.headers().lastHeader(DeadLetterSink.REASON).value(), StandardCharsets.UTF_8);
                    String offset = new String(r.headers().lastHeader("rtm.dlq.offset").value(), StandardCharsets.UTF_8);
                    out.put(reason + " @" + offset, r.value() == null ? new byte[0] : r.value());
                }
            }
        }
        return out;
    }
}
