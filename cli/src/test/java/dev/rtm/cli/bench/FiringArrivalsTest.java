package dev.rtm.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.api.Alert;
import dev.rtm.api.Alerter;
import dev.rtm.api.AlerterFactory;
import dev.rtm.api.Notification;
import dev.rtm.testing.PluginJars;
import dev.rtm.host.plugin.PluginRegistry;
import dev.rtm.recorder.HttpRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The latency bench matches a spike to the notification that told it by the firing alert's host,
 * metric and startsAt in the payload the real {@code webhook} plugin sends; resolved alerts and
 * later notifications of the same alert do not count.
 */
class FiringArrivalsTest {

    @Test
    void findsEachFiringAlertOfTheWebhookPayloadsByLabelsAndStart() throws Exception {
        Path plugins = PluginJars.linkDistPlugins(Files.createTempDirectory(Path.of("target"), "bench-arrivals").resolve("plugins"),
                "webhook-alert");
        Instant spike = Instant.parse("2026-12-02T17:00:00.250Z");
        Instant whole = Instant.parse("2026-12-02T17:00:07Z"); // printed without a fraction
        try (PluginRegistry registry = PluginRegistry.load(plugins); HttpRecorder receiver = HttpRecorder.start()) {
            AlerterFactory f = registry.alerters().get("webhook");
            try (Alerter webhook = f.create(f.configSpec().validate(Map.of("url", receiver.url("/hook"))))) {
                webhook.deliver(notification("{host=\"live-0\"}#1", Alert.Status.FIRING,
                        alert("a1", Alert.Status.FIRING, "live-0", "bench.m03", spike, null),
                        alert("a0", Alert.Status.RESOLVED, "live-0", "bench.m01", spike.minusSeconds(9), spike.minusSeconds(6))));
                webhook.deliver(notification("{host=\"live-1\"}#4", Alert.Status.FIRING,
                        alert("a2", Alert.Status.FIRING, "live-1", "bench.m07", whole, null)));
                webhook.deliver(notification("{host=\"live-0\"}#2", Alert.Status.FIRING,
                        alert("a1", Alert.Status.FIRING, "live-0", "bench.m03", spike, null)));
            }
            receiver.awaitRequests(3, Duration.ofSeconds(10));
            Map<FiringArrivals.Key, FiringArrivals.Arrival> told = FiringArrivals.of(receiver.requests());

            assertThat(told).containsOnlyKeys(new FiringArrivals.Key("live-0", "bench.m03", spike.toEpochMilli()),
                    new FiringArrivals.Key("live-1", "bench.m07", whole.toEpochMilli()));
            FiringArrivals.Arrival first = told.get(new FiringArrivals.Key("live-0", "bench.m03", spike.toEpochMilli()));
            assertThat(first.notificationKey()).as("the first notification telling it").isEqualTo("{host=\"live-0\"}#1");
            assertThat(first.at()).isEqualTo(receiver.requests().get(0).receivedAt());
        }
    }

    private static Notification notification(String key, Alert.Status status, Alert... alerts) {
        String group = key.substring(0, key.indexOf('#'));
        return new Notification(key, group, Map.of("host", group.substring(7, group.length() - 2)),
                Long.parseLong(key.substring(key.indexOf('#') + 1)), status, List.of(alerts), false, null, null);
    }

    private static Alert alert(String id, Alert.Status status, String host, String metric, Instant start, Instant end) {
        return new Alert(id, status, Alert.Severity.CRITICAL, host, metric, List.of("ewma"), 80, 50, 46, 54, 30, start, end,
                metric + " on " + host, null, Map.of("alertname", "anomaly", "host", host, "metric", metric, "severity", "critical",
                "rule", "models any"));
    }
}
