package dev.rtm.host.decode;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a decoded {@code HostMetrics} record into points. A record with no host, no metrics, or a
 * timestamp outside [now − max-past, now + max-future] is refused whole; a NaN/∞ value or an empty
 * metric name is refused alone while the record's other values are kept. Every refusal has a
 * reason, for the dead-letter topic.
 */
public final class MetricsValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long maxFutureMillis;
    private final long maxPastMillis;

    /**
     * What validation kept, and why anything was refused.
     *
     * @param points the usable points
     * @param reason null when nothing was refused; otherwise one line naming what was
     * @param kind null when nothing was refused; otherwise a fixed word for the class of problem
     *        (missing_host, missing_timestamp, future_timestamp, past_timestamp, no_metrics, bad_value)
     */
    public record Result(List<MetricPoint> points, String reason, String kind) {
        /** A result whose refusals, if any, are bad values. */
        public Result(List<MetricPoint> points, String reason) {
            this(points, reason, reason == null ? null : "bad_value");
        }
    }

    /**
     * @param maxFuture how far ahead of the clock a timestamp may be
     * @param maxPast how far behind
     */
    public MetricsValidator(Duration maxFuture, Duration maxPast) {
        this.maxFutureMillis = maxFuture.toMillis();
        this.maxPastMillis = maxPast.toMillis();
    }

    /** Validates one record against the clock value {@code now} (epoch millis). */
    public Result validate(GenericRecord r, long now) {
        Object hostField = r.get("host");
        String host = hostField == null ? "" : hostField.toString().strip();
        if (host.isEmpty()) {
            return new Result(List.of(), "missing host", "missing_host");
        }
        Object tsField = r.get("timestamp");
        if (!(tsField instanceof Long)) {
            return new Result(List.of(), "missing timestamp", "missing_timestamp");
        }
        long ts = (Long) tsField;
        if (ts > now + maxFutureMillis) {
            return new Result(List.of(), "timestamp " + Instant.ofEpochMilli(ts) + " is more than "
                    + Duration.ofMillis(maxFutureMillis) + " in the future", "future_timestamp");
        }
        if (ts < now - maxPastMillis) {
            return new Result(List.of(), "timestamp " + Instant.ofEpochMilli(ts) + " is more than "
                    + Duration.ofMillis(maxPastMillis) + " in the past", "past_timestamp");
        }
        Object m = r.get("metrics");
        if (!(m instanceof Map<?, ?> metrics) || metrics.isEmpty()) {
            return new Result(List.of(), "no metrics", "no_metrics");
        }
        List<MetricPoint> points = new ArrayList<>(metrics.size());
        List<String> refused = new ArrayList<>();
        for (Map.Entry<?, ?> e : metrics.entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().toString().strip();
            double v = e.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
            if (name.isEmpty()) {
                refused.add("a metric with an empty name");
            } else if (!Double.isFinite(v)) {
                refused.add("metric " + name + " is " + v);
            } else {
                points.add(new MetricPoint(host, name, ts, v));
            }
        }
        String reason = refused.isEmpty() ? null
                : String.join("; ", refused) + (points.isEmpty() ? "" : " (the other " + points.size() + " values were kept)");
        return new Result(points, reason);
    }
}
