package dev.rtm.cli;

import dev.rtm.ingest.IngestServer;
import dev.rtm.ingest.KafkaOut;

import dev.rtm.testing.KafkaRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.job.JobSettings;
import dev.rtm.host.sink.Schema;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client: Debian's Prometheus (2.42, /usr/bin/prometheus) scrapes itself every second and
 * remote-writes to {@code rtm ingest}'s server with the bearer token from a credentials file; its
 * series come out of Kafka as rtm HostMetrics records, and the streaming job (Flink MiniCluster, a
 * real PostgreSQL) scores them: the ewma rows of {@code anomaly_scores} hold the very samples
 * Prometheus wrote. A second remote_write with a wrong token is refused with 401.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PrometheusRemoteWriteTest {

    static final Path PROMETHEUS = Path.of(System.getProperty("rtm.test.prometheus", "/usr/bin/prometheus"));
    static final String TOKEN = "prometheus-writes-" + System.nanoTime();
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void prometheusSeriesArriveAsRtmRecordsAndAreScored() throws Exception {
        assertThat(PROMETHEUS).as("Debian's prometheus package (apt-get install prometheus; .ci/run installs it)").isExecutable();
        List<String> log = new CopyOnWriteArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            broker.createTopics(1, "metrics", "metrics-dlq");
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            IngestServer server = IngestServer.start(new IngestServer.Settings("127.0.0.1", 0, TOKEN.getBytes(StandardCharsets.US_ASCII),
                    10 << 20), new KafkaOut(broker.bootstrap(), "metrics", null, Duration.ofSeconds(10)), log::add);
            JobClient job = null;
            try {
                job = startJob(broker, pg, PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma"));
                Path dir = Files.createDirectories(tmp.resolve("prometheus"));
                Files.writeString(dir.resolve("token"), TOKEN + "\n");
                Files.writeString(dir.resolve("wrong-token"), "not-the-token\n");
                int promPort = freePort();
                String write = "http://127.0.0.1:" + server.port() + "/api/v1/write";
                Files.writeString(dir.resolve("prometheus.yml"), """
                        global: { scrape_interval: 1s }
                        scrape_configs:
                          - job_name: prometheus
                            static_configs: [ { targets: ["127.0.0.1:%d"] } ]
                        remote_write:
                          - name: rtm
                            url: %s
                            authorization: { credentials_file: %s }
                            queue_config: { batch_send_deadline: 1s }
                          - name: rtm-wrong-token
                            url: %s
                            authorization: { credentials_file: %s }
                            queue_config: { batch_send_deadline: 1s }
                        """.formatted(promPort, write, dir.resolve("token"), write, dir.resolve("wrong-token")));
                Path promLog = dir.resolve("prometheus.log");
                Process prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + promPort)
                        .redirectErrorStream(true).redirectOutput(promLog.toFile()).start();
                try {
                    List<KafkaRecords.Rec> got = KafkaRecords.read(broker.bootstrap(), "metrics",
                            l -> l.stream().anyMatch(PrometheusRemoteWriteTest::upAndBuildInfo) || !prometheus.isAlive(), WAIT);
                    if (got.stream().noneMatch(PrometheusRemoteWriteTest::upAndBuildInfo)) {
                        fail("no record with up and prometheus_build_info from Prometheus (" + got.size() + " records; alive: "
                                + prometheus.isAlive() + "; ingest log: " + log + "); its log:\n" + Files.readString(promLog));
                    }
                    KafkaRecords.Rec r = got.stream().filter(PrometheusRemoteWriteTest::upAndBuildInfo).findFirst().orElseThrow();
                    assertThat(r.host()).isEqualTo("127.0.0.1");
                    assertThat(r.key()).isEqualTo("127.0.0.1");
                    assertThat(r.tags()).containsEntry("job", "prometheus").containsEntry("source", "prometheus");
                    assertThat(r.metrics()).containsEntry("up", 1.0);
                    assertThat(r.metrics().keySet()).anyMatch(k -> k.startsWith("prometheus_build_info.") && k.contains("2.42.0"));
                    assertThat(r.timestamp()).isBetween(System.currentTimeMillis() - WAIT.toMillis() - 60_000, System.currentTimeMillis());
                    // the writer with the wrong token was refused, and the token is in no log line
                    Poll.until("the refused writer's 401", WAIT, () -> log.stream().anyMatch(l -> l.startsWith("401")));
                    assertThat(log).anyMatch(l -> l.startsWith("401 ") && l.contains("wrong bearer token"));
                    assertThat(log).noneMatch(l -> l.contains(TOKEN) || l.contains("not-the-token"));
                    assertThat(Files.readString(promLog)).contains("401");

                    // the job scored what Prometheus wrote: ewma rows for its samples of up and of a label-joined series
                    String labelled = r.metrics().keySet().stream().filter(k -> k.startsWith("prometheus_build_info.")).findFirst().orElseThrow();
                    for (String metric : List.of("up", labelled)) {
                        Score s = score(pg, r.host(), metric, r.timestamp(), job);
                        assertThat(s).as("the ewma row of %s at %d", metric, r.timestamp()).isNotNull();
                        assertThat(s.value()).isEqualTo(r.metrics().get(metric));
                        assertThat(s.score()).isFinite().isGreaterThanOrEqualTo(0);
                    }
                } finally {
                    prometheus.destroy(); // SIGTERM to its PID
                    if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            } finally {
                server.close();
                if (job != null) {
                    stop(job);
                }
            }
        }
    }

    /** The streaming job as rtm job runs it (MiniCluster, ewma on every series), from the metrics topic to {@code pg}. */
    static JobClient startJob(KafkaBroker broker, PostgresServer pg, Path plugins) throws Exception {
        String yaml = "detectors: { ewma: {} }\njob: { metrics-port: 0, checkpoint-interval-ms: 500, checkpoint-dir: none }\n";
        RtmConfig cfg = ConfigLoader.parseText(yaml, null, System.getenv());
        JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "prometheus-remote-write-test").anomaliesTopic(null)
                .pluginsDir(plugins).postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                .forecasts(JobSettings.Forecasts.OFF).build();
        return JobRunner.start(cfg, s, 1);
    }

    /** One row of anomaly_scores. */
    record Score(double value, double score) {
    }

    /** Polls anomaly_scores for the ewma row of a series at a time until it is there; fails when the job ended or {@link #WAIT} is over. */
    static Score score(PostgresServer pg, String host, String metric, long timestamp, JobClient job) throws Exception {
        try (Connection c = pg.connect(); PreparedStatement q = c.prepareStatement(
                "SELECT value, score FROM anomaly_scores WHERE host = ? AND metric = ? AND model = 'ewma' AND time = ?")) {
            q.setString(1, host);
            q.setString(2, metric);
            q.setTimestamp(3, new Timestamp(timestamp));
            return Poll.until("the ewma row of " + metric + " at " + timestamp, WAIT, () -> {
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return new Score(rs.getDouble(1), rs.getDouble(2));
                    }
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    fail("the job ended: " + job.getJobStatus().get());
                }
                return null;
            }, s -> true);
        }
    }

    static void stop(JobClient job) throws Exception {
        job.cancel().get(30, TimeUnit.SECONDS);
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException cancelled) {
            // what a cancelled job answers
        }
    }

    static boolean upAndBuildInfo(KafkaRecords.Rec r) {
        return r.metrics().containsKey("up") && r.metrics().keySet().stream().anyMatch(k -> k.startsWith("prometheus_build_info."));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
