package dev.rtm.plugins.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alert;
import dev.rtm.api.ConfigException;
import dev.rtm.api.DeliveryException;
import dev.rtm.support.HttpSender;
import dev.rtm.recorder.HttpRecorder;
import dev.rtm.recorder.RecordedRequest;
import dev.rtm.recorder.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static dev.rtm.plugins.webhook.Samples.alert;
import static dev.rtm.plugins.webhook.Samples.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AlertmanagerAlerterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final AlertmanagerAlerterFactory factory = new AlertmanagerAlerterFactory();

    @Test
    void postsApiV2AlertsWithEndsAtInTheFutureWhileFiringAndTheEndOnceResolved() throws Exception {
        try (HttpRecorder am = HttpRecorder.start()) {
            Instant now = Instant.parse("2026-12-02T14:30:00Z");
            HttpSender sender = new HttpSender("Alertmanager", Duration.ofSeconds(2), Duration.ofSeconds(5), List.of());
            AlertmanagerAlerter a = new AlertmanagerAlerter(URI.create(am.url("/prefix/api/v2/alerts")), sender, Map.of(),
                    Duration.ofMinutes(300), Clock.fixed(now, ZoneOffset.UTC));
            a.deliver(notification(Alert.Status.FIRING,
                    alert("fp-cpu", "web-1", "cpu.total_pct", Alert.Status.FIRING),
                    alert("fp-mem", "web-1", "mem.used_pct", Alert.Status.RESOLVED)));

            RecordedRequest r = am.awaitRequests(1, Duration.ofSeconds(10)).get(0);
            assertThat(r.path()).isEqualTo("/prefix/api/v2/alerts");
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.isArray()).isTrue();
            assertThat(body).hasSize(2);
            JsonNode cpu = body.get(0);
            assertThat(cpu.fieldNames()).toIterable().containsExactly("labels", "annotations", "startsAt", "endsAt", "generatorURL");
            assertThat(JSON.convertValue(cpu.get("labels"), Map.class)).isEqualTo(Map.of("alertname", "anomaly",
                    "host", "web-1", "metric", "cpu.total_pct", "severity", "critical", "rule", "default", "model", "ewma,arima"));
            assertThat(cpu.get("annotations").get("summary").asText()).startsWith("cpu.total_pct on web-1 is 97.2");
            assertThat(cpu.get("startsAt").asText()).isEqualTo("2026-12-02T14:03:00Z");
            assertThat(cpu.get("endsAt").asText()).isEqualTo("2026-12-02T19:30:00Z");
            assertThat(cpu.get("generatorURL").asText()).isEqualTo(Samples.GRAFANA);
            assertThat(body.get(1).get("endsAt").asText()).isEqualTo("2026-12-02T14:21:30Z");
        }
    }

    @Test
    void theBaseUrlMayEndWithASlashAndErrorsCarryAlertmanagersText() throws Exception {
        try (HttpRecorder am = HttpRecorder.start()) {
            am.respond(Reply.json(400, "{\"code\":400,\"message\":\"start time must be before end time\"}"));
            var a = factory.create(factory.configSpec().validate(Map.of("url", am.url("/"))));
            DeliveryException e = catchThrowableOfType(DeliveryException.class,
                    () -> a.deliver(notification(Alert.Status.FIRING, alert("fp", "web-1", "cpu", Alert.Status.FIRING))));
            assertThat(am.awaitRequests(1, Duration.ofSeconds(10)).get(0).path()).isEqualTo("/api/v2/alerts");
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("HTTP 400 from Alertmanager").contains("start time must be before end time");
        }
    }

    @Test
    void refusesAMissingOrMalformedUrlNamingTheKey() {
        assertThatThrownBy(() -> factory.configSpec().validate(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("url:");
        assertThatThrownBy(() -> factory.create(factory.configSpec().validate(Map.of("url", "alertmanager:9093"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("url:").hasMessageContaining("alertmanager:9093");
    }
}
