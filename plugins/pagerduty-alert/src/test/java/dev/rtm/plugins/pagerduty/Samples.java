package dev.rtm.plugins.pagerduty;

import dev.rtm.api.Alert;
import dev.rtm.api.Notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Example alerts and notifications as rtm's host builds them. */
final class Samples {

    static final Instant START = Instant.parse("2026-12-02T14:03:00Z");
    static final Instant END = Instant.parse("2026-12-02T14:21:30Z");
    static final String GRAFANA = "http://grafana.example:3000/d/rtm-host?var-host=web-1&from=1796220180000&to=1796221290000";

    private Samples() {
    }

    static Alert alert(String id, String host, String metric, Alert.Status status) {
        return new Alert(id, status, Alert.Severity.CRITICAL, host, metric, List.of("ewma", "arima"),
                97.2, 41.0, 30.1, 51.9, 6.3, START, status == Alert.Status.RESOLVED ? END : null,
                metric + " on " + host + " is 97.2 (expected 41, normal 30.1 to 51.9)", GRAFANA,
                Map.of("alertname", "anomaly", "host", host, "metric", metric, "severity", "critical", "rule", "default"));
    }

    static Notification notification(Alert.Status status, Alert... alerts) {
        String host = alerts[0].host();
        return new Notification("{host=\"" + host + "\"}:1", "{host=\"" + host + "\"}", Map.of("host", host), 1,
                status, List.of(alerts), false, GRAFANA, null);
    }
}
