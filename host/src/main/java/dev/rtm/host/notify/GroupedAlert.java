package dev.rtm.host.notify;

import dev.rtm.api.Alert;
import dev.rtm.host.alert.AlertEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An alert as a group holds it (the latest transition of one incident), stored as JSON in
 * {@code alert_groups.alerts}; {@code changed} while the group has not told about its current status,
 * {@code toldFiring} once a notification has told it firing (only then is its resolution told, as
 * Alertmanager does: an alert that came and went within a group's wait is not news). Doubles that
 * are unknown are null.
 */
public record GroupedAlert(String id, String status, String kind, String severity, String rule, String host, String metric, String models,
                           Double value, Double expected, Double lower, Double upper, double score, long startsAt,
                           long endsAt, boolean changed, boolean toldFiring) {

    /** From an {@code alert_events} row, following {@code previous} (the same alert as the group held it, or null). */
    static GroupedAlert of(AlertEvent e, GroupedAlert previous) {
        return new GroupedAlert(e.alertId, e.state, e.kind, e.severity, e.rule, e.host, e.metric, e.models, box(e.value), box(e.expected),
                box(e.lower), box(e.upper), e.score, e.startsAt, e.endsAt, true, previous != null && previous.toldFiring());
    }

    /** Whether it is firing. */
    boolean firing() {
        return "firing".equals(status);
    }

    /** The same, told. */
    GroupedAlert told() {
        return new GroupedAlert(id, status, kind, severity, rule, host, metric, models, value, expected, lower, upper, score, startsAt,
                endsAt, false, toldFiring || firing());
    }

    /** As the plugin API's alert, with a summary and a Grafana link. */
    Alert toAlert(String grafanaUrl) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", kind);
        labels.put("host", host);
        labels.put("metric", metric);
        labels.put("severity", severity);
        labels.put("rule", rule == null ? "default" : rule);
        if (!models.isEmpty()) {
            labels.put("models", models);
        }
        Instant start = Instant.ofEpochMilli(startsAt);
        Instant end = endsAt == 0 ? null : Instant.ofEpochMilli(endsAt);
        return new Alert(id, firing() ? Alert.Status.FIRING : Alert.Status.RESOLVED,
                "critical".equals(severity) ? Alert.Severity.CRITICAL : Alert.Severity.WARNING, host, metric,
                models.isEmpty() ? List.of() : Arrays.asList(models.split(",")), unbox(value), unbox(expected), unbox(lower),
                unbox(upper), score, start, end, summary(), link(grafanaUrl, host, metric, start, end), labels);
    }

    /** One human line. */
    String summary() {
        if (AlertEvent.DETECTOR.equals(kind) && AlertEvent.OUT_OF_MEMORY.equals(rule)) {
            return endsAt == 0
                    ? "detector " + models + " is quarantined on every series of its subtask: it ran out of memory on " + metric
                            + " on " + host + "; its models in memory were dropped and it is tried again after a back-off"
                    : "detector " + models + " answers on " + metric + " on " + host + " again (quarantined for "
                            + human(Duration.ofMillis(endsAt - startsAt)) + " after it ran out of memory)";
        }
        if (AlertEvent.DETECTOR.equals(kind)) {
            return endsAt == 0
                    ? "detector " + models + " is quarantined on " + metric + " on " + host + ": a call took "
                            + (value == null ? "?" : String.format(Locale.ROOT, "%.0f", value)) + " ms, over its time budget; "
                            + "its points there are skipped and it is tried again after a back-off"
                    : "detector " + models + " answers on " + metric + " on " + host + " within its time budget again (quarantined for "
                            + human(Duration.ofMillis(endsAt - startsAt)) + ")";
        }
        if (AlertEvent.NODATA.equals(kind)) {
            return metric + " on " + host + " stopped reporting" + (endsAt == 0 ? "" : " (back after "
                    + human(Duration.ofMillis(endsAt - startsAt)) + ")");
        }
        StringBuilder sb = new StringBuilder().append(metric).append(" on ").append(host).append(" is ").append(num(value));
        if (expected != null) {
            sb.append(" (expected ").append(num(expected));
            if (lower != null && upper != null) {
                sb.append(", normal ").append(num(lower)).append(" to ").append(num(upper));
            }
            sb.append(')');
        }
        sb.append(String.format(Locale.ROOT, ", score %.1f, flagged by %s", score, models.replace(",", ", ")));
        return sb.toString();
    }

    /** Grafana's host dashboard around the alert. */
    static String link(String grafanaUrl, String host, String metric, Instant start, Instant end) {
        if (grafanaUrl == null) {
            return null;
        }
        long from = start.toEpochMilli() - 15 * 60_000;
        String to = end == null ? "now" : Long.toString(end.toEpochMilli() + 15 * 60_000);
        return grafanaUrl.replaceAll("/+$", "") + "/d/rtm-host/host?var-host=" + enc(host) + "&var-metric=" + enc(metric)
                + "&from=" + from + "&to=" + to;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h " + (s % 3600) / 60 + "m";
    }

    private static String num(Double d) {
        if (d == null) {
            return "?";
        }
        double a = Math.abs(d);
        return a != 0 && (a >= 1e6 || a < 1e-3) ? String.format(Locale.ROOT, "%.3g", d) : String.format(Locale.ROOT, "%.4g", d)
                .replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static Double box(double d) {
        return Double.isNaN(d) ? null : d;
    }

    private static double unbox(Double d) {
        return d == null ? Double.NaN : d;
    }
}
