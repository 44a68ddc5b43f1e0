package dev.rtm.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert transition, as handed to an {@link Alerter}.
 *
 * @param id stable identifier of the incident: the same for its FIRING and RESOLVED transitions,
 *        so destinations can de-duplicate and close what they opened
 * @param status FIRING or RESOLVED
 * @param severity how urgent
 * @param host the host of the series
 * @param metric the metric of the series
 * @param model the detector instance that raised it
 * @param value the observed value at the transition
 * @param score the detector's score at the transition, in sigmas
 * @param startsAt when the incident started
 * @param endsAt when it ended; null while firing
 * @param summary one human line, e.g. "cpu.total_pct on web-1 is 97.2 (expected 41.0 ± 9.1)"
 * @param labels extra key/value pairs (tags of the series, rule name, links)
 */
public record Alert(String id, Status status, Severity severity, String host, String metric, String model,
                    double value, double score, Instant startsAt, Instant endsAt, String summary,
                    Map<String, String> labels) {

    /** Transition kinds. */
    public enum Status {
        /** The condition started (or is still on, for re-notification). */
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

    /** Checks required fields and copies the labels. */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(summary, "summary");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
