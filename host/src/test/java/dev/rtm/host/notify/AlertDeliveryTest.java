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
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole alert path on real parts: Kafka (a real broker) → the streaming job (Flink
 * MiniCluster) → PostgreSQL → the notify stage → the real {@code webhook} alerter plugin → a local
 * receiver. A spike on a live series gives one firing notification; the series calming down gives
 * one resolved notification; both transitions are on the Kafka {@code alerts} topic; the secret
 * webhook URL never shows in any log line or table.
 */
class AlertDeliveryTest {

    private static final String SECRET = "T0KEN-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

    @TempDir
    Path tmp;

    @Test
    void aSpikeOnALiveSeriesIsToldOnceFiringAndOnceResolved() throws Exception {
        StringWriter logs = new StringWriter();
        WriterAppender capture = captureLogs(logs);
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"));
             HttpRecorder receiver = HttpRecorder.start()) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(1, "metrics", "metrics-dlq", "anomalies", "alerts");
            Path secretFile = Files.writeString(tmp.resolve("webhook-url"), receiver.url("/hooks/" + SECRET));
            String yaml = "detectors: { ewma: {} }\n"
                    + "alerts: { group-wait: 0s, group-interval: 1s }\n"
                    + "channels:\n  ops: { type: webhook, url: \"${file:" + secretFile + "}\" }\n";
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma", "webhook-alert");
            JobSettings s = JobSettings.from(ConfigLoader.parseText(yaml, null, System.getenv()))
                    .kafka(broker.bootstrap(), "alert-test").pluginsDir(plugins)
                    .postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(100)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(1000);
            MetricsJob.build(env, s);
            JobClient job = env.executeAsync("alert-delivery-test");
            try {
                long now = System.currentTimeMillis();
                WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
                try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    for (int i = 0; i < 100; i++) {
                        double cpu = 40 + 3 * Math.sin(i / 5.0) + (i * 7 % 5) * 0.2 + (i == 60 ? 60 : 0);
                        GenericRecord r = Schemas.hostMetrics("web-1", now - (100 - i) * 5_000L, Map.of("cpu.total_pct", cpu), Map.of());
                        p.send(new ProducerRecord<>("metrics", "web-1".getBytes(StandardCharsets.UTF_8), wire.encode(r))).get();
                        if (i == 63) { // the spike has been seen: the firing notification arrives before the rest is sent
                            p.flush();
                            RecordedRequest firing = receiver.awaitRequest(q -> q.bodyText().contains("\"status\":\"firing\""),
                                    Duration.ofSeconds(60));
                            JsonNode n = new ObjectMapper().readTree(firing.bodyText());
                            assertThat(n.get("groupKey").asText()).isEqualTo("{host=\"web-1\"}");
                            assertThat(n.get("alerts")).hasSize(1);
                            assertThat(n.get("alerts").get(0).get("labels").get("metric").asText()).isEqualTo("cpu.total_pct");
                            assertThat(n.get("alerts").get(0).get("annotations").get("summary").asText())
                                    .startsWith("cpu.total_pct on web-1 is ").endsWith("flagged by ewma");
                        }
                    }
                }
                receiver.awaitRequest(q -> q.bodyText().contains("\"status\":\"resolved\""), Duration.ofSeconds(60));
                List<GenericRecord> transitions = readAlerts(broker, 2);
                assertThat(transitions).extracting(r -> r.get("state").toString() + " " + r.get("metric"))
                        .containsExactly("firing cpu.total_pct", "resolved cpu.total_pct");
                assertThat(transitions.get(0).get("alert_id")).isEqualTo(transitions.get(1).get("alert_id"));
            } finally {
                job.cancel().get();
                // cancel() returns once asked; the tasks (and the notify stage's close) finish after
                // the result its client keeps: the MiniCluster may already have shut down once the job ended
                Poll.until("the cancelled job ended", Duration.ofSeconds(60), () -> job.getJobExecutionResult().isDone());
            }
            assertThat(receiver.requests()).as("one firing, one resolved, nothing twice").hasSize(2);
            assertThat(receiver.requests().get(0).header("Idempotency-Key")).isEqualTo("{host=\"web-1\"}#1");
            try (Connection c = pg.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT string_agg(notification_key || ' ' || state || ' ' || destination || ' '"
                         + " || coalesce(last_error, ''), '; ' ORDER BY sequence) FROM notifications")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("{host=\"web-1\"}#1 sent webhook channel 'ops' ; "
                        + "{host=\"web-1\"}#2 sent webhook channel 'ops' ");
            }
        } finally {
            release(capture);
        }
        assertThat(logs.toString()).as("the run logged (the capture works)").contains("notification {host=\"web-1\"}#1");
        assertThat(logs.toString()).as("the secret is in no log line").doesNotContain(SECRET);
    }

    private static List<GenericRecord> readAlerts(KafkaBroker broker, int expected) throws Exception {
        List<GenericRecord> out = new ArrayList<>();
        try (var c = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "alerts-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("alerts"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(new WireFormat(Schemas.ALERT_EVENT, null, "alerts-value").decode(r.value()));
                }
            }
        }
        return out;
    }

    private static WriterAppender captureLogs(StringWriter into) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender a = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(into)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c %m %ex%n").build()).build();
        a.start();
        ctx.getConfiguration().addAppender(a);
        ctx.getConfiguration().getRootLogger().addAppender(a, Level.ALL, null);
        ctx.getConfiguration().getLoggerConfig("dev.rtm").addAppender(a, Level.ALL, null);
        ctx.updateLoggers();
        return a;
    }

    private static void release(WriterAppender a) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(a.getName());
        ctx.getConfiguration().getLoggerConfig("dev.rtm").removeAppender(a.getName());
        ctx.updateLoggers();
        a.stop();
    }
}
