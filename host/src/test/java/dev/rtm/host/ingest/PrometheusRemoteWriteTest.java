package dev.rtm.host.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rtm.host.demo.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client: Debian's Prometheus (2.42, /usr/bin/prometheus) scrapes itself every second and
 * remote-writes to {@code rtm ingest}'s server with the bearer token from a credentials file; its
 * series come out of Kafka as rtm HostMetrics records. A second remote_write with a wrong token is
 * refused with 401.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PrometheusRemoteWriteTest {

    static final Path PROMETHEUS = Path.of(System.getProperty("rtm.test.prometheus", "/usr/bin/prometheus"));
    static final String TOKEN = "prometheus-writes-" + System.nanoTime();
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void prometheusSeriesArriveAsRtmRecords() throws Exception {
        assertThat(PROMETHEUS).as("Debian's prometheus package (apt-get install prometheus; .ci/run installs it)").isExecutable();
        List<String> log = new CopyOnWriteArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"))) {
            broker.createTopics(1, "metrics");
            IngestServer server = IngestServer.start(new IngestServer.Settings("127.0.0.1", 0, TOKEN.getBytes(StandardCharsets.US_ASCII),
                    10 << 20), new KafkaOut(broker.bootstrap(), "metrics", null, Duration.ofSeconds(10)), log::add);
            try {
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
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (log.stream().noneMatch(l -> l.startsWith("401")) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    assertThat(log).anyMatch(l -> l.startsWith("401 ") && l.contains("wrong bearer token"));
                    assertThat(log).noneMatch(l -> l.contains(TOKEN) || l.contains("not-the-token"));
                    assertThat(Files.readString(promLog)).contains("401");
                } finally {
                    prometheus.destroy(); // SIGTERM to its PID
                    if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            } finally {
                server.close();
            }
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
