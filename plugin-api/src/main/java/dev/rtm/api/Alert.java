package dev.rtm.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alert of one series at one transition, as an {@link Alerter} sees it inside a
 * {@link Notification}. Field names follow Alertmanager's alert where one exists.
 *
 * @param id the alert's fingerprint: the same for its FIRING, repeated FIRING and RESOLVED
 *        transitions (e.g. PagerDuty's {@code dedup_key} is built from it), different for the next
 *        incident of the same series
 * @param status FIRING or RESOLVED
 * @param severity how urgent (from the rule's score bands)
 * @param host the host of the series
 * @param metric the metric of the series
 * @param models the detector instances (model names) that flagged it, never empty
 * @param value the observed value at the alert's peak
 * @param expected what the models expected there, or NaN when unknown
 * @param lower lower edge of the normal band there, or NaN
 * @param upper upper edge of the normal band there, or NaN
 * @param score the peak score, in the detector's "sigmas" (see {@link Assessment#score()})
 * @param startsAt when the incident started (the first flagged point)
 * @param endsAt when it ended; null while firing
 * @param summary one human line, e.g. "cpu.total_pct on web-1 is 97.2 (expected 41.0, normal 30.1 to 51.9)"
 * @param url where to look (Grafana's host dashboard over the alert's time range), or null
 * @param labels Alertmanager-style labels: at least {@code alertname} ({@code anomaly} or
 *        {@code nodata}), {@code host}, {@code metric}, {@code severity}, {@code rule}
 */
public record Alert(String id, Status status, Severity severity, String host, String metric, List<String> models,
                    double value, double expected, double lower, double upper, double score,
                    Instant startsAt, Instant endsAt, String summary, String url, Map<String, String> labels) {

    /** Transition kinds. */
    public enum Status {
        /** The condition started, or is still on (re-notification). */
        FIRING,
        /** The condition ended. */
        RESOLVED
    }

    /** Urgency levels. */
    public enum Severity {
        /** For the record. */
        INFO,
        /** Needs a look. */
        WARNING,
        /** Needs action now. */
        CRITICAL
    }

    /** Checks required fields and copies the collections. */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(summary, "summary");
        models = models == null ? List.of() : List.copyOf(models);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (status == Status.RESOLVED && endsAt == null) {
            throw new IllegalArgumentException("a resolved alert needs endsAt");
        }
    }

    /** Whether this alert is firing. */
    public boolean firing() {
        return status == Status.FIRING;
    }
}
