package dev.rtm.plugins.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.Notification;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code alertmanager} channel against a real Alertmanager (Debian's prometheus-alertmanager):
 * rtm's alerts go in through API v2 and come out of Alertmanager's own webhook, grouped by host,
 * then resolved. Skipped where the binary is missing, except in CI (CI=true), where that fails.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RealAlertmanagerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Path BINARY = Path.of(System.getProperty("rtm.test.alertmanager", "/usr/bin/prometheus-alertmanager"));

    HttpRecorder receiver;
    Process alertmanager;
    Path dir;
    int port;

    @BeforeEach
    void startAlertmanager() throws Exception {
        if (!Files.isExecutable(BINARY)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(BINARY + " is missing: CI must install Debian's prometheus-alertmanager (see .ci/run)");
            }
            assumeTrue(false, BINARY + " is missing (apt-get install prometheus-alertmanager); skipped outside CI");
        }
        receiver = HttpRecorder.start();
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "alertmanager-");
        Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: recorder
                  group_by: ['host']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: recorder
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(receiver.url("/alertmanager-webhook")));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        alertmanager = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",            // no gossip port, no peers
                "--log.level=debug")
                .redirectErrorStream(true).start();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Path log = dir.resolve("alertmanager.log");
        Thread pump = new Thread(() -> copyLog(log, listening), "alertmanager-log");
        pump.setDaemon(true);
        pump.start();
        try {
            listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("Alertmanager did not start listening; its log:\n" + Files.readString(log), e);
        }
    }

    private void copyLog(Path log, CompletableFuture<Void> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(alertmanager.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line + "\n");
                out.flush();
                if (line.contains("msg=\"Listening on\"")) {
                    listening.complete(null);
                }
            }
            listening.completeExceptionally(new IllegalStateException("Alertmanager exited: " + alertmanager.waitFor()));
        } catch (IOException e) {
            listening.completeExceptionally(new UncheckedIOException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.destroy();                       // SIGTERM to its PID
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(alertmanager.isAlive()).isFalse();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    static Alert alert(String id, String host, String metric, Instant start, Instant end) {
        return new Alert(id, end == null ? Alert.Status.FIRING : Alert.Status.RESOLVED, Alert.Severity.WARNING, host, metric,
                List.of("ewma"), 97.2, 41.0, 30.1, 51.9, 4.2, start, end,
                metric + " on " + host + " is 97.2 (expected 41, normal 30.1 to 51.9)",
                "http://grafana.example:3000/d/rtm-host?var-host=" + host,
                Map.of("alertname", "anomaly", "host", host, "metric", metric, "severity", "warning", "rule", "default"));
    }

    static Notification notification(Alert.Status status, long seq, Alert... alerts) {
        String g = "{host=\"" + alerts[0].host() + "\"}";
        return new Notification(g + ":" + seq, g, Map.of("host", alerts[0].host()), seq, status, List.of(alerts),
                false, null, null);
    }

    /**
     * The first webhook from Alertmanager with this status for this host's group holding this many
     * alerts. (Alertmanager flushes a new group at once when its first alert started more than
     * group_wait ago, as rtm's alerts have: the second alert of the group then comes with the next
     * group_interval, in a notification that holds both.)
     */
    RecordedRequest webhook(String status, String host, int alerts) throws InterruptedException {
        Predicate<RecordedRequest> match = r -> {
            JsonNode p = parse(r);
            return p.path("status").asText().equals(status) && p.path("groupLabels").path("host").asText().equals(host)
                    && p.path("alerts").size() == alerts;
        };
        return receiver.awaitRequest(match, WAIT);
    }

    static JsonNode parse(RecordedRequest r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rtmAlertsComeOutOfAlertmanagersWebhookGroupedByHostAndResolve() throws Exception {
        AlertmanagerAlerterFactory factory = new AlertmanagerAlerterFactory();
        Alerter channel = factory.create(factory.configSpec().validate(Map.of("url", "http://127.0.0.1:" + port)));
        Instant start = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

        Alert cpu = alert("fp-cpu", "web-1", "cpu.total_pct", start, null);
        Alert mem = alert("fp-mem", "web-1", "mem.used_pct", start, null);
        Alert db = alert("fp-db", "db-1", "disk.busy_pct", start, null);
        channel.deliver(notification(Alert.Status.FIRING, 1, cpu, mem));
        channel.deliver(notification(Alert.Status.FIRING, 1, db));

        JsonNode web1 = parse(webhook("firing", "web-1", 2));
        assertThat(web1.get("version").asText()).isEqualTo("4");
        assertThat(web1.get("receiver").asText()).isEqualTo("recorder");
        assertThat(web1.get("groupKey").asText()).isEqualTo("{}:{host=\"web-1\"}");
        assertThat(web1.get("commonLabels").get("host").asText()).isEqualTo("web-1");
        assertThat(web1.get("alerts")).hasSize(2);    // both series of web-1 in one notification
        List<String> metrics = new ArrayList<>();
        for (JsonNode a : web1.get("alerts")) {
            assertThat(a.get("status").asText()).isEqualTo("firing");
            assertThat(a.get("labels").get("alertname").asText()).isEqualTo("anomaly");
            assertThat(a.get("labels").get("model").asText()).isEqualTo("ewma");
            assertThat(a.get("labels").get("severity").asText()).isEqualTo("warning");
            assertThat(a.get("annotations").get("summary").asText()).endsWith("is 97.2 (expected 41, normal 30.1 to 51.9)");
            assertThat(Instant.parse(a.get("startsAt").asText())).isEqualTo(start);
            assertThat(a.get("generatorURL").asText()).isEqualTo("http://grafana.example:3000/d/rtm-host?var-host=web-1");
            assertThat(a.get("fingerprint").asText()).isNotBlank();
            metrics.add(a.get("labels").get("metric").asText());
        }
        assertThat(metrics).containsExactlyInAnyOrder("cpu.total_pct", "mem.used_pct");
        JsonNode db1 = parse(webhook("firing", "db-1", 1));
        assertThat(db1.get("alerts")).hasSize(1);     // another host, another group

        Instant end = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        channel.deliver(notification(Alert.Status.RESOLVED, 2,
                alert("fp-cpu", "web-1", "cpu.total_pct", start, end), alert("fp-mem", "web-1", "mem.used_pct", start, end)));

        JsonNode resolved = parse(webhook("resolved", "web-1", 2));
        assertThat(resolved.get("alerts")).hasSize(2);
        for (JsonNode a : resolved.get("alerts")) {
            assertThat(a.get("status").asText()).isEqualTo("resolved");
            assertThat(Instant.parse(a.get("endsAt").asText())).isEqualTo(end);
        }
        assertThat(receiver.requests()).noneMatch(r -> parse(r).path("status").asText().equals("resolved")
                && parse(r).path("groupLabels").path("host").asText().equals("db-1"));
    }
}
