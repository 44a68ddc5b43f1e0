package dev.rtm.plugins.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.ConfigException;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.RecordedRequest;
import dev.rtm.recorder.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.rtm.plugins.webhook.Samples.alert;
import static dev.rtm.plugins.webhook.Samples.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebhookAlerterTest {

    static final String TOKEN = "T0KEN-s3cr3t-42";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    final WebhookAlerterFactory factory = new WebhookAlerterFactory();
    HttpRecorder rec;

    @BeforeEach
    void start() throws IOException {
        rec = HttpRecorder.start();
    }

    @AfterEach
    void stop() {
        rec.close();
    }

    Alerter alerter(Map<String, Object> extra) throws ConfigException {
        Map<String, Object> cfg = new HashMap<>(Map.of("url", rec.url("/hooks/" + TOKEN)));
        cfg.putAll(extra);
        return factory.create(factory.configSpec().validate(cfg));
    }

    @Test
    void sendsAlertmanagersWebhookPayload() throws Exception {
        Notification n = notification(Alert.Status.FIRING,
                alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.FIRING),
                alert("fp-mem", "web-1", "mem.used_pct", Alert.Status.RESOLVED));
        assertThat(alerter(Map.of("receiver", "ops")).deliver(n)).isNull();

        RecordedRequest r = rec.awaitRequests(1, WAIT).get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hooks/" + TOKEN);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Idempotency-Key")).isEqualTo(n.key());
        assertThat(r.header("Authorization")).isNull();

        JsonNode p = JSON.readTree(r.body());
        assertThat(p.fieldNames()).toIterable().containsExactlyInAnyOrder("version", "groupKey", "truncatedAlerts",
                "status", "receiver", "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts");
        assertThat(p.get("version").asText()).isEqualTo("4");
        assertThat(p.get("groupKey").asText()).isEqualTo("{host=\"web-1\"}");
        assertThat(p.get("status").asText()).isEqualTo("firing");
        assertThat(p.get("receiver").asText()).isEqualTo("ops");
        assertThat(p.get("truncatedAlerts").asInt()).isZero();
        assertThat(p.get("externalURL").asText()).isEqualTo(Samples.GRAFANA);
        assertThat(JSON.convertValue(p.get("groupLabels"), Map.class)).isEqualTo(Map.of("host", "web-1"));
        assertThat(JSON.convertValue(p.get("commonLabels"), Map.class)).isEqualTo(Map.of("alertname", "anomaly",
                "host", "web-1", "severity", "critical", "rule", "default", "model", "ewma,arima"));
        assertThat(JSON.convertValue(p.get("commonAnnotations"), Map.class))
                .isEqualTo(Map.of("description", "value 97.2, expected 41 (normal 30.1 to 51.9), score 6.3 sigmas; flagged by ewma, arima"));

        JsonNode cpu = p.get("alerts").get(0);
        assertThat(cpu.fieldNames()).toIterable().containsExactly("status", "labels", "annotations", "startsAt",
                "endsAt", "generatorURL", "fingerprint");
        assertThat(cpu.get("status").asText()).isEqualTo("firing");
        assertThat(JSON.convertValue(cpu.get("labels"), Map.class)).isEqualTo(Map.of("alertname", "anomaly",
                "host", "web-1", "metric", "cpu.total_pct", "severity", "critical", "rule", "default", "model", "ewma,arima"));
        assertThat(cpu.get("annotations").get("summary").asText())
                .isEqualTo("cpu.total_pct on web-1 is 97.2 (expected 41, normal 30.1 to 51.9)");
        assertThat(cpu.get("startsAt").asText()).isEqualTo("2026-12-02T14:03:00Z");
        assertThat(cpu.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(cpu.get("generatorURL").asText()).isEqualTo(Samples.GRAFANA);
        assertThat(cpu.get("fingerprint").asText()).isEqualTo("fp-cpu");

        JsonNode mem = p.get("alerts").get(1);
        assertThat(mem.get("status").asText()).isEqualTo("resolved");
        assertThat(mem.get("endsAt").asText()).isEqualTo("2026-12-02T14:21:30Z");
        assertThat(mem.get("fingerprint").asText()).isEqualTo("fp-mem");
    }

    @Test
    void maxAlertsTruncatesAndCountsTheRest() throws Exception {
        Alert[] five = new Alert[5];
        for (int i = 0; i < 5; i++) {
            five[i] = alert("fp-" + i, "web-1", "m" + i, Alert.Status.FIRING);
        }
        alerter(Map.of("max-alerts", 2)).deliver(notification(Alert.Status.FIRING, five));
        JsonNode p = JSON.readTree(rec.awaitRequests(1, WAIT).get(0).body());
        assertThat(p.get("alerts")).hasSize(2);
        assertThat(p.get("truncatedAlerts").asInt()).isEqualTo(3);
    }

    @Test
    void signsTheBodyWithHmacSha256() throws Exception {
        String key = "hmac-k3y-secret";
        alerter(Map.of("hmac-secret", key, "signature-header", "X-Signature"))
                .deliver(notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING)));
        RecordedRequest r = rec.awaitRequests(1, WAIT).get(0);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(r.header("X-Signature")).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(r.body())));
    }

    @Test
    void sendsBasicOrBearerAuthorization() throws Exception {
        Notification n = notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING));
        alerter(Map.of("basic-auth-user", "rtm", "basic-auth-password", "pa55")).deliver(n);
        alerter(Map.of("bearer-token", "b3arer")).deliver(n);
        List<RecordedRequest> rs = rec.awaitRequests(2, WAIT);
        assertThat(rs.get(0).header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("rtm:pa55".getBytes(StandardCharsets.UTF_8)));
        assertThat(rs.get(1).header("Authorization")).isEqualTo("Bearer b3arer");
    }

    @Test
    void mapsAnswersToRetryableOrNot() throws Exception {
        Alerter a = alerter(Map.of());
        Notification n = notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING));

        rec.respondOnce(Reply.tooManyRequests(Duration.ofSeconds(7)), Reply.serverError(),
                Reply.status(404, "no such hook"), Reply.json(400, "{\"error\":\"bad payload\"}"));
        DeliveryException limited = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(limited.httpStatus()).isEqualTo(429);

        DeliveryException failed = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.httpStatus()).isEqualTo(500);

        DeliveryException missing = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.getMessage()).isEqualTo("HTTP 404 from webhook: no such hook");

        DeliveryException bad = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(bad.retryable()).isFalse();
        assertThat(bad.getMessage()).contains("HTTP 400").contains("bad payload");

        assertThat(rec.requests()).hasSize(4);   // one attempt per call: no retries inside the plugin
    }

    @Test
    void aHangingReceiverTimesOutWithinTheReadTimeoutAsRetryable() throws Exception {
        rec.respond(Reply.hang());
        Alerter a = alerter(Map.of("read-timeout-ms", 400));
        long t0 = System.nanoTime();
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> a.deliver(notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING))));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("400 ms");
        assertThat(took).isBetween(Duration.ofMillis(390), Duration.ofSeconds(3));
    }

    @Test
    void aClosedPortIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Alerter a = factory.create(factory.configSpec().validate(Map.of("url", "http://127.0.0.1:" + port + "/x/" + TOKEN)));
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> a.deliver(notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING))));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain(String.valueOf(port));
    }

    @Test
    void secretsNeverAppearInMessagesEvenWhenTheReceiverEchoesThem() throws Exception {
        rec.script(r -> Reply.status(403, "forbidden: " + r.path() + " auth=" + r.header("Authorization")
                + " sig=" + r.header("X-Rtm-Signature-256")));
        Alerter a = alerter(Map.of("bearer-token", "b3arer-secret", "hmac-secret", "hmac-secret-value"));
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> a.deliver(notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING))));
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).startsWith("HTTP 403 from webhook: forbidden: ******")
                .doesNotContain(TOKEN).doesNotContain("b3arer-secret").doesNotContain("hmac-secret-value");
    }

    @Test
    void badConfigIsRefusedNamingTheKeyWithoutTheSecret() {
        assertThatThrownBy(() -> factory.configSpec().validate(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("url", "ftp://x/" + TOKEN))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("url:").hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("url", "not a url " + TOKEN))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("url:").hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> alerter(Map.of("basic-auth-user", "rtm")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("basic-auth-password:");
        assertThatThrownBy(() -> alerter(Map.of("basic-auth-user", "rtm", "basic-auth-password", "p", "bearer-token", "t")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bearer-token:");
        assertThatThrownBy(() -> alerter(Map.of("signature-header", "bad header")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("signature-header:");
    }

    @Test
    void bothFactoriesAreIndexedAsPf4jExtensions() throws IOException {
        // the main classes' index (test-classes has its own, empty one)
        StringBuilder all = new StringBuilder();
        for (var url : java.util.Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(all).contains(WebhookAlerterFactory.class.getName()).contains(AlertmanagerAlerterFactory.class.getName());
    }
}
