package dev.rtm.plugins.pagerduty;

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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rtm.plugins.pagerduty.Samples.alert;
import static dev.rtm.plugins.pagerduty.Samples.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The Events API v2 events against the recorder standing in for events.pagerduty.com. */
class PagerDutyAlerterTest {

    static final String KEY = "R0UT1NGk3y0123456789abcdefABCDEF";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Reply ACCEPTED = Reply.json(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}");

    final PagerDutyAlerterFactory factory = new PagerDutyAlerterFactory();
    HttpRecorder pd;

    @BeforeEach
    void start() throws IOException {
        pd = HttpRecorder.start();
        pd.respond(ACCEPTED);
    }

    @AfterEach
    void stop() {
        pd.close();
    }

    Alerter alerter(Map<String, Object> extra) throws ConfigException {
        Map<String, Object> cfg = new HashMap<>(Map.of("routing-key", KEY, "url", pd.url("/v2/enqueue")));
        cfg.putAll(extra);
        return factory.create(factory.configSpec().validate(cfg));
    }

    @Test
    void triggersFiringAlertsAndResolvesResolvedOnesByDedupKey() throws Exception {
        Notification n = notification(Alert.Status.FIRING,
                alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.FIRING),
                alert("fp-mem", "web-1", "mem.used_pct", Alert.Status.RESOLVED));
        assertThat(alerter(Map.of()).deliver(n)).isNull();

        List<RecordedRequest> rs = pd.awaitRequests(2, WAIT);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/v2/enqueue");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        });
        JsonNode trigger = JSON.readTree(rs.get(0).body());
        assertThat(trigger.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("routing_key", "event_action", "dedup_key", "payload", "links", "client", "client_url");
        assertThat(trigger.get("routing_key").asText()).isEqualTo(KEY);
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.get("dedup_key").asText()).isEqualTo("fp-cpu");
        assertThat(trigger.get("client").asText()).isEqualTo("rtm");
        JsonNode p = trigger.get("payload");
        assertThat(p.get("summary").asText()).isEqualTo("cpu.total_pct on web-1 is 97.2 (expected 41, normal 30.1 to 51.9)");
        assertThat(p.get("source").asText()).isEqualTo("web-1");
        assertThat(p.get("severity").asText()).isEqualTo("critical");
        assertThat(p.get("component").asText()).isEqualTo("cpu.total_pct");
        assertThat(p.get("timestamp").asText()).isEqualTo("2026-12-02T14:03:00Z");
        assertThat(p.get("class").asText()).isEqualTo("anomaly");
        assertThat(p.get("group").asText()).isEqualTo("{host=\"web-1\"}");
        JsonNode d = p.get("custom_details");
        assertThat(d.get("value").asDouble()).isEqualTo(97.2);
        assertThat(d.get("expected").asDouble()).isEqualTo(41.0);
        assertThat(d.get("band").asText()).isEqualTo("30.1 to 51.9");
        assertThat(d.get("score").asDouble()).isEqualTo(6.3);
        assertThat(JSON.convertValue(d.get("models"), List.class)).isEqualTo(List.of("ewma", "arima"));
        assertThat(trigger.get("links")).hasSize(1);
        assertThat(trigger.get("links").get(0).get("href").asText()).isEqualTo(Samples.GRAFANA);
        assertThat(trigger.get("links").get(0).get("text").asText()).isEqualTo("View in Grafana");

        JsonNode resolve = JSON.readTree(rs.get(1).body());
        assertThat(resolve.fieldNames()).toIterable().containsExactlyInAnyOrder("routing_key", "event_action", "dedup_key");
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo("fp-mem");
    }

    @Test
    void mapsSeveritiesAndKeepsPagerDutysLimits() throws Exception {
        Alert base = alert("x".repeat(300), "web-1", "cpu", Alert.Status.FIRING);
        Alert warning = new Alert(base.id(), base.status(), Alert.Severity.WARNING, "web-1", "cpu", List.of("ewma"),
                5.0, Double.NaN, Double.NaN, Double.NaN, 3.1, base.startsAt(), null, "s".repeat(2000), null, Map.of());
        Alert info = new Alert("i", base.status(), Alert.Severity.INFO, "web-1", "cpu", List.of("ewma"),
                5.0, 4.0, 3.0, 6.0, 3.1, base.startsAt(), null, "short", null, Map.of());
        alerter(Map.of()).deliver(new Notification("k", "g", Map.of(), 1, Alert.Status.FIRING, List.of(warning, info), false, null, null));
        List<RecordedRequest> rs = pd.awaitRequests(2, WAIT);
        JsonNode w = JSON.readTree(rs.get(0).body());
        assertThat(w.get("payload").get("severity").asText()).isEqualTo("warning");
        assertThat(w.get("payload").get("summary").asText()).hasSize(1024).endsWith("…");
        assertThat(w.get("dedup_key").asText()).startsWith("sha256:").hasSizeLessThanOrEqualTo(255);
        assertThat(w.get("payload").get("custom_details").get("expected").isNull()).isTrue();
        assertThat(w.get("payload").get("custom_details").get("band").isNull()).isTrue();
        assertThat(w.has("links")).isFalse();
        assertThat(JSON.readTree(rs.get(1).body()).get("payload").get("severity").asText()).isEqualTo("info");
    }

    @Test
    void mapsAnswersToRetryableOrNotWithPagerDutysErrorText() throws Exception {
        pd.respondOnce(
                Reply.json(400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"'payload.source' is missing or blank\"]}"),
                Reply.tooManyRequests(Duration.ofSeconds(20)), Reply.serverError(),
                Reply.json(400, "{\"status\":\"invalid event\",\"message\":\"unknown routing key " + KEY + "\"}"));
        Alerter a = alerter(Map.of());
        Notification n = notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING));

        DeliveryException invalid = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(invalid.retryable()).isFalse();
        assertThat(invalid.httpStatus()).isEqualTo(400);
        assertThat(invalid.getMessage()).isEqualTo("HTTP 400 from PagerDuty: Event object is invalid: 'payload.source' is missing or blank");

        DeliveryException limited = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(20));

        DeliveryException down = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(down.retryable()).isTrue();
        assertThat(down.httpStatus()).isEqualTo(500);

        DeliveryException echoed = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
        assertThat(echoed.getMessage()).isEqualTo("HTTP 400 from PagerDuty: unknown routing key ******");
        for (DeliveryException e : List.of(invalid, limited, down, echoed)) {
            assertThat(e.getMessage()).doesNotContain(KEY);
        }
        assertThat(pd.requests()).hasSize(4);
    }

    @Test
    void theFirstFailedEventEndsTheAttempt() throws Exception {
        pd.respondOnce(ACCEPTED, Reply.serverError());
        Notification n = notification(Alert.Status.FIRING, alert("a", "web-1", "m1", Alert.Status.FIRING),
                alert("b", "web-1", "m2", Alert.Status.FIRING), alert("c", "web-1", "m3", Alert.Status.FIRING));
        assertThatThrownBy(() -> alerter(Map.of()).deliver(n)).isInstanceOf(DeliveryException.class);
        assertThat(pd.requests()).hasSize(2);
    }

    @Test
    void aHangingPagerDutyTimesOutWithinTheReadTimeoutAsRetryable() throws Exception {
        pd.respond(Reply.hang());
        Alerter a = alerter(Map.of("read-timeout-ms", 400));
        long t0 = System.nanoTime();
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> a.deliver(notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING))));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(390), Duration.ofSeconds(3));
        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).isEqualTo("no answer from PagerDuty within 400 ms (read timeout)");
    }

    @Test
    void badConfigIsRefusedNamingTheKeyWithoutTheSecret() {
        assertThatThrownBy(() -> factory.configSpec().validate(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("routing-key:");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("routing-key", "too-short-s3cr3t"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("routing-key:").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("routing-key", KEY, "url", "events.pagerduty.com"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("url:").hasMessageNotContaining(KEY);
    }

    @Test
    void theFactoryIsIndexedAsAPf4jExtension() throws IOException {
        StringBuilder all = new StringBuilder();
        for (var url : java.util.Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(all).contains(PagerDutyAlerterFactory.class.getName());
    }
}
