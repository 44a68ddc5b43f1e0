package dev.rtm.plugins.slack;

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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rtm.plugins.slack.Samples.alert;
import static dev.rtm.plugins.slack.Samples.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Web API mode against the recorder standing in for slack.com/api: receipts, threads, updates, errors. */
class SlackWebApiTest {

    static final String TOKEN = "xoxb-1234-5678-s3cr3tB0tT0k3n";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TS = "1796220185.000100";

    final SlackAlerterFactory factory = new SlackAlerterFactory();
    HttpRecorder slack;

    @BeforeEach
    void start() throws IOException {
        slack = HttpRecorder.start();
        slack.script(r -> Reply.json("{\"ok\":true,\"channel\":\"C0RTM0001\",\"ts\":\"" + TS + "\"}"));
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    Alerter alerter(Map<String, Object> extra) throws ConfigException {
        Map<String, Object> cfg = new HashMap<>(Map.of("token", TOKEN, "channel", "#alerts", "api-url", slack.url("/api/")));
        cfg.putAll(extra);
        return factory.create(factory.configSpec().validate(cfg));
    }

    /** The form fields of a Web API call. */
    static Map<String, String> form(RecordedRequest r) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : r.bodyText().split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    static JsonNode message(Map<String, String> form) throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put("text", form.get("text"));
        m.put("blocks", JSON.readTree(form.get("blocks")));
        return JSON.valueToTree(m);
    }

    @Test
    void firingPostsAMessageAndResolvedAnswersInItsThreadAndUpdatesIt() throws Exception {
        Alert cpu = alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.FIRING);
        Notification firing = notification(Alert.Status.FIRING, cpu);
        try (Alerter a = alerter(Map.of())) {
            String receipt = a.deliver(firing);
            assertThat(receipt).isEqualTo("C0RTM0001:" + TS);

            RecordedRequest post = slack.awaitRequests(1, WAIT).get(0);
            assertThat(post.path()).isEqualTo("/api/chat.postMessage");
            assertThat(post.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            Map<String, String> f = form(post);
            assertThat(f.get("channel")).isEqualTo("#alerts");
            assertThat(f).doesNotContainKey("thread_ts");
            BlockKitRules.assertValid(message(f));
            assertThat(f.get("text")).startsWith(":red_circle: CRITICAL · anomaly on web-1: cpu.total_pct 97.2");

            Notification resolved = new Notification("{host=\"web-1\"}:2", "{host=\"web-1\"}", Map.of("host", "web-1"), 2,
                    Alert.Status.RESOLVED, List.of(alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.RESOLVED)),
                    false, Samples.GRAFANA, receipt);
            assertThat(a.deliver(resolved)).as("the thread's receipt stays").isEqualTo(receipt);
        }
        List<RecordedRequest> calls = slack.awaitRequests(3, WAIT);
        RecordedRequest update = calls.get(1);
        assertThat(update.path()).isEqualTo("/api/chat.update");
        Map<String, String> u = form(update);
        assertThat(u.get("channel")).isEqualTo("C0RTM0001");
        assertThat(u.get("ts")).isEqualTo(TS);
        BlockKitRules.assertValid(message(u));
        assertThat(JSON.readTree(u.get("blocks")).get(0).get("text").get("text").asText())
                .isEqualTo(":white_check_mark: RESOLVED · anomaly on web-1");

        RecordedRequest reply = calls.get(2);
        assertThat(reply.path()).isEqualTo("/api/chat.postMessage");
        Map<String, String> r = form(reply);
        assertThat(r.get("channel")).isEqualTo("C0RTM0001");
        assertThat(r.get("thread_ts")).isEqualTo(TS);
        BlockKitRules.assertValid(message(r));
        assertThat(r.get("blocks")).contains("lasted 18m 30s");
    }

    @Test
    void aRepeatedFiringNotificationRepliesInTheThreadWithoutUpdating() throws Exception {
        Notification again = new Notification("{host=\"web-1\"}:3", "{host=\"web-1\"}", Map.of("host", "web-1"), 3,
                Alert.Status.FIRING, List.of(alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.FIRING)), true, null,
                "C0RTM0001:" + TS);
        try (Alerter a = alerter(Map.of())) {
            a.deliver(again);
        }
        RecordedRequest only = slack.awaitRequests(1, WAIT).get(0);
        assertThat(only.path()).isEqualTo("/api/chat.postMessage");
        assertThat(form(only).get("thread_ts")).isEqualTo(TS);
        assertThat(form(only).get("text")).contains("(still firing)");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void anUneditableOriginalStillGetsTheResolvedReply() throws Exception {
        slack.script(r -> r.path().endsWith("chat.update") ? Reply.slackError("message_not_found")
                : Reply.json("{\"ok\":true,\"channel\":\"C0RTM0001\",\"ts\":\"2.0\"}"));
        try (Alerter a = alerter(Map.of())) {
            a.deliver(notification(Alert.Status.RESOLVED, alert("fp", "web-1", "cpu", Alert.Status.RESOLVED))
                    .withPreviousReceipt("C0RTM0001:" + TS));
        }
        assertThat(slack.awaitRequests(2, WAIT)).extracting(RecordedRequest::path)
                .containsExactly("/api/chat.update", "/api/chat.postMessage");
    }

    @Test
    void mapsSlackErrorsToRetryableOrNotWithoutTheToken() throws Exception {
        Notification n = notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING));
        slack.respondOnce(Reply.slackError("channel_not_found"), Reply.slackError("ratelimited").withHeader("Retry-After", "12"),
                Reply.json("{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"chat:write\"}"),
                Reply.tooManyRequests(Duration.ofSeconds(30)), Reply.serverError(),
                Reply.json(401, "{\"ok\":false,\"error\":\"invalid_auth " + TOKEN + "\"}"));
        try (Alerter a = alerter(Map.of())) {
            DeliveryException notFound = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(notFound.retryable()).isFalse();
            assertThat(notFound.getMessage()).isEqualTo("Slack chat.postMessage failed: channel_not_found");

            DeliveryException ratelimited = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(ratelimited.retryable()).isTrue();
            assertThat(ratelimited.retryAfter()).isEqualTo(Duration.ofSeconds(12));

            DeliveryException scope = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(scope.retryable()).isFalse();
            assertThat(scope.getMessage()).isEqualTo("Slack chat.postMessage failed: missing_scope (needed scope: chat:write)");

            DeliveryException limited = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(limited.retryable()).isTrue();
            assertThat(limited.httpStatus()).isEqualTo(429);
            assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));

            DeliveryException down = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(down.retryable()).isTrue();
            assertThat(down.httpStatus()).isEqualTo(500);

            DeliveryException auth = catchThrowableOfType(DeliveryException.class, () -> a.deliver(n));
            assertThat(auth.retryable()).isFalse();
            assertThat(auth.httpStatus()).isEqualTo(401);
            assertThat(auth.getMessage()).contains("invalid_auth");

            for (DeliveryException e : List.of(notFound, ratelimited, scope, limited, down, auth)) {
                assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("s3cr3tB0tT0k3n");
            }
        }
        assertThat(slack.requests()).hasSize(6);
    }

    @Test
    void aHangingApiTimesOutWithinTheReadTimeoutAsRetryable() throws Exception {
        slack.respond(Reply.hang());
        try (Alerter a = alerter(Map.of("read-timeout-ms", 500))) {
            long t0 = System.nanoTime();
            DeliveryException e = catchThrowableOfType(DeliveryException.class,
                    () -> a.deliver(notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING))));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(480), Duration.ofSeconds(3));
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).isEqualTo("no answer from Slack chat.postMessage within 500 ms (read timeout)");
        }
    }
}
