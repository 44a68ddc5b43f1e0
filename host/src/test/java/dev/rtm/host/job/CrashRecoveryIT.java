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
import dev.rtm.local.Poll;
import dev.rtm.local.Processes;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing changed by crashes: the job (ewma and arima) runs on a real standalone
 * cluster, its TaskManager is killed (SIGKILL) three times, each after a checkpoint, while points
 * keep arriving, a new TaskManager takes over each time, and in the end every point has exactly one
 * raw row and one score row per model, and every score of both models equals what the detector
 * computes on the series without any crash (so the detector state came back from the checkpoints,
 * not from a fresh warm-up).
 */
class CrashRecoveryIT {

    private static final String[] HOSTS = {"a", "b", "c"};
    private static final int PER_PHASE = 600;
    private static final int KILLS = 3;

    @TempDir
    Path tmp;

    @Test
    void threeTaskManagerKillsLoseNothingAndChangeNoScoreOfEwmaOrArima() throws Exception {
        Path dist = Path.of(System.getProperty("rtm.dist", "target/rtm"));
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"));
             FlinkCluster cluster = FlinkCluster.start(dist.resolve("lib"), tmp.resolve("flink"))) {
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            long start = System.currentTimeMillis() - (long) (KILLS + 1) * PER_PHASE * 1000;
            produce(broker, start, 0, PER_PHASE);

            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("client-plugins"), "ewma", "arima");
            String yaml = "detectors: { ewma: {}, arima: {} }\njob: { checkpoint-interval-ms: 500, restart-delay-ms: 1000 }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "crash-it").anomaliesTopic(null)
                    .plugins(new JobSettings.Plugins(tmp.resolve("no-plugins-on-this-taskmanager").toString(), plugins.toString()))
                    .postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            JobClient job = JobRunner.start(cfg, s, 2, JobRunner.Cluster.of("127.0.0.1:" + cluster.restPort(), dist.resolve("lib")));
            String jobUrl = "http://127.0.0.1:" + cluster.restPort() + "/jobs/" + job.getJobID();
            for (int kill = 1; kill <= KILLS; kill++) {
                int points = HOSTS.length * PER_PHASE * kill;
                long checkpointsBefore = cluster.completedCheckpoints(job.getJobID().toHexString());
                Poll.until("phase " + kill + " committed and a checkpoint completed after it", Duration.ofMinutes(3),
                        () -> rows(pg, "metrics") == points && rows(pg, "anomaly_scores") == 2L * points
                                && cluster.completedCheckpoints(job.getJobID().toHexString()) > checkpointsBefore);
                cluster.killTaskManager();
                produce(broker, start, kill * PER_PHASE, (kill + 1) * PER_PHASE); // points keep coming while the job is down
                cluster.startTaskManager();
            }

            int all = HOSTS.length * PER_PHASE * (KILLS + 1);
            Poll.until("every point stored after the restarts", Duration.ofMinutes(3),
                    () -> rows(pg, "metrics") == all && rows(pg, "anomaly_scores") == 2L * all);
            // the REST metrics are fetched from the JobManager every few seconds
            Poll.until("the job's restarts counted", Duration.ofMinutes(1), () -> metric(jobUrl, "numRestarts") >= KILLS);
            assertThat(Processes.httpBody(jobUrl + "/exceptions")).as("why it restarted").containsIgnoringCase("TaskManager");

            // every score of both models is the one the detector gives without a crash
            for (String model : new String[] {"ewma", "arima"}) {
                assertThat(UninterruptedRun.assertScoresOf(pg, plugins, model, HOSTS, "cpu.total_pct", all))
                        .as(model + " past its warm-up").isGreaterThan(all / 2);
            }
            job.cancel().get();
        }
    }

    private static void produce(KafkaBroker broker, long start, int from, int to) throws Exception {
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                for (String h : HOSTS) {
                    double v = 40 + 10 * Math.sin(i / 20.0) + (i * 13 % 7) * 0.5 + (i % 150 == 75 ? 30 : 0);
                    p.send(new ProducerRecord<>("metrics", h.getBytes(StandardCharsets.UTF_8),
                            wire.encode(StreamingPipelineTest.sample(h, start + i * 1000L, Map.of("cpu.total_pct", v)))));
                }
            }
            p.flush();
        }
    }

    private static long rows(PostgresServer pg, String table) {
        try (Connection c = pg.connect(); var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long metric(String jobUrl, String name) {
        String body = Processes.httpBody(jobUrl + "/metrics?get=" + name);
        Matcher m = body == null ? null : Pattern.compile("\"value\":\"(\\d+)\"").matcher(body);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
