package dev.rtm.plugins.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.Notification;
import dev.rtm.recorder.HttpRecorder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends the README's example notification through the plugin to the recorder and writes what Slack
 * would receive (target/slack-preview/slack-message.json) and an HTML approximation of Slack's
 * layout of it (slack-message.html). docs/render-png.sh turns the HTML into docs/slack-message.png.
 */
class SlackMessagePreviewTest {

    static final Instant START = Instant.parse("2026-12-02T14:03:00Z");
    static final String GRAFANA = "http://grafana.example:3000/d/rtm-host/host?var-host=web-1&from=1796219880000&to=now";

    static Notification example() {
        Alert cpu = new Alert("3f9c1a7e", Alert.Status.FIRING, Alert.Severity.CRITICAL, "web-1", "cpu.total_pct",
                List.of("ewma", "arima"), 97.2, 41.0, 30.1, 51.9, 6.3, START, null,
                "cpu.total_pct on web-1 is 97.2 (expected 41, normal 30.1 to 51.9)",
                GRAFANA + "&var-metric=cpu.total_pct", Map.of("alertname", "anomaly", "host", "web-1",
                "metric", "cpu.total_pct", "severity", "critical", "rule", "default"));
        Alert load = new Alert("8b20d4c5", Alert.Status.FIRING, Alert.Severity.WARNING, "web-1", "load.1m",
                List.of("ewma"), 7.9, 2.2, 0.8, 3.6, 4.1, START.plusSeconds(40), null,
                "load.1m on web-1 is 7.9 (expected 2.2, normal 0.8 to 3.6)",
                GRAFANA + "&var-metric=load.1m", Map.of("alertname", "anomaly", "host", "web-1",
                "metric", "load.1m", "severity", "warning", "rule", "default"));
        return new Notification("{host=\"web-1\"}:1", "{host=\"web-1\"}", Map.of("host", "web-1"), 1,
                Alert.Status.FIRING, List.of(cpu, load), false, GRAFANA, null);
    }

    @Test
    void writesThePayloadAndItsHtmlPreview() throws Exception {
        JsonNode message;
        try (HttpRecorder slack = HttpRecorder.start()) {
            SlackAlerterFactory f = new SlackAlerterFactory();
            try (Alerter a = f.create(f.configSpec().validate(Map.of("webhook-url", slack.url("/services/T0/B0/x"))))) {
                a.deliver(example());
            }
            message = new ObjectMapper().readTree(slack.awaitRequests(1, Duration.ofSeconds(10)).get(0).body());
        }
        BlockKitRules.assertValid(message);
        Path dir = Files.createDirectories(Path.of("target", "slack-preview"));
        Files.writeString(dir.resolve("slack-message.json"), message.toPrettyString());
        String html = BlockKitHtml.page(message, "rtm alerts", "2:03 PM");
        Files.writeString(dir.resolve("slack-message.html"), html);
        assertThat(html).contains("🔴 CRITICAL · 2 anomalies on web-1").contains("<b>97.2</b> vs expected 41")
                .contains("<code>rtm silence add --host web-1 --metric cpu.total_pct --for 2h</code>")
                .contains("View in Grafana").contains("2026-12-02 14:03:00 UTC").doesNotContain("<!date");
    }
}
