package dev.rtm.plugins.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.ConfigException;
import dev.rtm.api.DeliveryException;
import dev.rtm.api.Notification;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.rtm.plugins.slack.Samples.alert;
import static dev.rtm.plugins.slack.Samples.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Incoming Webhook mode against the recorder: the Block Kit payload, its limits, error mapping. */
class SlackWebhookTest {

    static final String HOOK_PATH = "/services/T0RTM0001/B0RTM0001/s3cr3tW3bh00kT0k3nXYZ";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    final SlackAlerterFactory factory = new SlackAlerterFactory();
    HttpRecorder slack;

    @BeforeEach
    void start() throws IOException {
        slack = HttpRecorder.start();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    Alerter alerter(Map<String, Object> extra) throws ConfigException {
        Map<String, Object> cfg = new HashMap<>(Map.of("webhook-url", slack.url(HOOK_PATH)));
        cfg.putAll(extra);
        return factory.create(factory.configSpec().validate(cfg));
    }

    JsonNode sent(int i) throws Exception {
        return JSON.readTree(slack.awaitRequests(i + 1, WAIT).get(i).body());
    }

    static Notification firingAndResolved() {
        return notification(Alert.Status.FIRING,
                alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.FIRING),
                alert("fp-mem", "web-1", "mem.used_pct", Alert.Status.RESOLVED));
    }

    @Test
    void postsABlockKitMessageWithEverythingAPersonNeeds() throws Exception {
        try (Alerter a = alerter(Map.of())) {
            assertThat(a.deliver(firingAndResolved())).isNull();
        }
        var r = slack.awaitRequests(1, WAIT).get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(HOOK_PATH);
        JsonNode m = JSON.readTree(r.body());
        BlockKitRules.assertValid(m);

        assertThat(m.get("text").asText()).startsWith(":red_circle: CRITICAL · 2 anomalies on web-1: ")
                .contains("cpu.total_pct 97.2 (expected 41)").contains("mem.used_pct 97.2 (expected 41) resolved");
        JsonNode blocks = m.get("blocks");
        List<String> types = new ArrayList<>();
        blocks.forEach(b -> types.add(b.get("type").asText()));
        assertThat(types).containsExactly("header", "section", "divider", "section", "actions", "context");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo(":red_circle: CRITICAL · 2 anomalies on web-1");

        String cpu = blocks.get(1).get("text").get("text").asText();
        assertThat(blocks.get(1).get("text").get("type").asText()).isEqualTo("mrkdwn");
        assertThat(cpu).isEqualTo("""
                :red_circle: *cpu.total_pct* on *web-1*
                *97.2* vs expected 41 (normal 30.1 to 51.9) · score *6.3σ*
                models: ewma, arima · critical
                started <!date^%d^{date_short_pretty} {time_secs}|2026-12-02 14:03:00 UTC>
                Silence: `rtm silence add --host web-1 --metric cpu.total_pct --for 2h`""".formatted(Samples.START.getEpochSecond()));
        JsonNode button = blocks.get(1).get("accessory");
        assertThat(button.get("text").get("text").asText()).isEqualTo("View in Grafana");
        assertThat(button.get("url").asText()).isEqualTo(Samples.GRAFANA);

        String mem = blocks.get(3).get("text").get("text").asText();
        assertThat(mem).startsWith(":white_check_mark: *mem.used_pct* on *web-1* — resolved")
                .contains("· lasted 18m 30s").doesNotContain("Silence");

        assertThat(blocks.get(4).get("elements").get(0).get("url").asText()).isEqualTo(Samples.GRAFANA);
        assertThat(blocks.get(4).get("elements").get(0).get("text").get("text").asText()).isEqualTo("View web-1 in Grafana");
        assertThat(blocks.get(5).get("elements").get(0).get("text").asText()).contains("notification #1");
    }

    @Test
    void aResolvedNotificationSaysSoInItsHeader() throws Exception {
        try (Alerter a = alerter(Map.of())) {
            a.deliver(notification(Alert.Status.RESOLVED, alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.RESOLVED)));
        }
        JsonNode m = sent(0);
        BlockKitRules.assertValid(m);
        assertThat(m.get("blocks").get(0).get("text").get("text").asText()).isEqualTo(":white_check_mark: RESOLVED · anomaly on web-1");
    }

    @Test
    void sixtyAlertsAreSummarisedWithinFiftyBlocks() throws Exception {
        Alert[] many = new Alert[60];
        for (int i = 0; i < many.length; i++) {
            many[i] = alert("fp-" + i, "web-1", "disk" + i + ".busy_pct", Alert.Status.FIRING);
        }
        try (Alerter a = alerter(Map.of())) {
            a.deliver(notification(Alert.Status.FIRING, many));
        }
        JsonNode m = sent(0);
        BlockKitRules.assertValid(m);
        JsonNode blocks = m.get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        int sections = 0;
        String summary = null;
        for (JsonNode b : blocks) {
            if (b.get("type").asText().equals("section")) {
                sections++;
                summary = b.get("text").get("text").asText();
            }
        }
        assertThat(sections).isEqualTo(11);    // 10 shown in full, one summary
        assertThat(summary).startsWith("…and *50 more*: disk10.busy_pct on web-1 (critical), ").contains("disk59.busy_pct");
        assertThat(m.get("text").asText()).contains("60 anomalies on web-1").endsWith("; and 55 more");
    }

    @Test
    void oversizedNamesAndUrlsStayWithinSlacksLimits() throws Exception {
        String host = "h".repeat(400);
        String metric = "m<&>".repeat(1000);
        String longUrl = "https://grafana.example/" + "x".repeat(3100);
        Alert[] alerts = new Alert[30];
        for (int i = 0; i < alerts.length; i++) {
            Alert base = alert("fp-" + i, host, metric + i, Alert.Status.FIRING);
            alerts[i] = new Alert(base.id(), base.status(), base.severity(), host, base.metric(), base.models(), base.value(),
                    base.expected(), base.lower(), base.upper(), base.score(), base.startsAt(), null, base.summary(), longUrl,
                    base.labels());
        }
        Notification n = new Notification("k", "{host=\"" + host + "\"}", Map.of("host", host), 1, Alert.Status.FIRING,
                List.of(alerts), false, longUrl, null);
        try (Alerter a = alerter(Map.of("max-alerts-shown", 23))) {
            a.deliver(n);
        }
        JsonNode m = sent(0);
        BlockKitRules.assertValid(m);
        assertThat(m.get("blocks").get(0).get("text").get("text").asText()).hasSize(150).endsWith("…");
        assertThat(m.toString()).doesNotContain("\"accessory\"").doesNotContain("\"actions\"");   // no button for a URL over 3000
        assertThat(m.get("blocks").get(1).get("text").get("text").asText()).contains("m&lt;&amp;&gt;");
    }

    @Test
    void mapsWebhookAnswersToRetryableOrNot() throws Exception {
        slack.respondOnce(Reply.tooManyRequests(Duration.ofSeconds(30)), Reply.status(500, "rollup_error"),
                Reply.status(404, "no_service"), Reply.status(400, "invalid_payload"), Reply.status(410, "channel_is_archived"));
        try (Alerter a = alerter(Map.of())) {
            Notification n = firingAndResolved();
            DeliveryException limited = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(limited.retryable()).isTrue();
            assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(limited.httpStatus()).isEqualTo(429);

            DeliveryException down = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(down.retryable()).isTrue();
            assertThat(down.getMessage()).isEqualTo("HTTP 500 from Slack: rollup_error");

            DeliveryException gone = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(gone.retryable()).isFalse();
            assertThat(gone.getMessage()).isEqualTo("HTTP 404 from Slack: no_service");

            DeliveryException bad = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(bad.retryable()).isFalse();
            assertThat(bad.getMessage()).isEqualTo("HTTP 400 from Slack: invalid_payload");

            DeliveryException archived = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(archived.retryable()).isFalse();
            assertThat(archived.getMessage()).isEqualTo("HTTP 410 from Slack: channel_is_archived");
            for (DeliveryException e : List.of(limited, down, gone, bad, archived)) {
                assertThat(e.getMessage()).doesNotContain("s3cr3tW3bh00kT0k3nXYZ").doesNotContain(HOOK_PATH);
            }
        }
        assertThat(slack.requests()).hasSize(5);   // exactly one attempt per call
    }

    @Test
    void aHangingSlackTimesOutWithinTheReadTimeoutAsRetryable() throws Exception {
        slack.respond(Reply.hang());
        try (Alerter a = alerter(Map.of("read-timeout-ms", 500))) {
            long t0 = System.nanoTime();
            DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> a.deliver(firingAndResolved()));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(e.retryable()).isTrue();
            assertThat(e.httpStatus()).isZero();
            assertThat(e.getMessage()).isEqualTo("no answer from Slack webhook within 500 ms (read timeout)");
            assertThat(took).isBetween(Duration.ofMillis(480), Duration.ofSeconds(3));
        }
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void theWebhookUrlNeverAppearsEvenWhenEchoed() throws Exception {
        slack.script(r -> Reply.status(403, "forbidden for " + r.path() + " at " + slack.url(r.path())));
        try (Alerter a = alerter(Map.of())) {
            DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> a.deliver(firingAndResolved()));
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).isEqualTo("HTTP 403 from Slack: forbidden for ****** at ******")
                    .doesNotContain("s3cr3tW3bh00kT0k3nXYZ");
        }
    }

    @Test
    void badConfigIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("webhook-url: required");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("webhook-url", "https://x/y", "token", "xoxb-1"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("token:");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("token", "xoxb-s3cr3t"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("channel: required with token");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("webhook-url", "hooks s3cr3tW3bh00k"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("webhook-url:").hasMessageNotContaining("s3cr3tW3bh00k");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("webhook-url", "https://x/y", "silence-hint-for", "two hours"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("silence-hint-for:");
        assertThatThrownBy(() -> factory.configSpec().validate(Map.of("webhook-url", "https://x/y", "max-alerts-shown", 30)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("max-alerts-shown:");
    }

    @Test
    void theFactoryIsIndexedAsAPf4jExtension() throws IOException {
        StringBuilder all = new StringBuilder();
        for (var url : java.util.Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = url.openStream()) {
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(all).contains(SlackAlerterFactory.class.getName());
    }
}
