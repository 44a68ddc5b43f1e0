package dev.rtm.host.decode;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Turns a decoded {@code HostMetrics} record into points. A record with no host, no metrics, or a
 * timestamp outside [now − max-past, now + max-future] is refused whole; a NaN/∞ value or an empty
 * metric name is refused alone while the record's other values are kept. Every refusal has a
 * reason, for the dead-letter topic.
 *
 * <p>Names (host and metric) are stored as they come, quotes, backslashes and any Unicode included,
 * except (refused like an empty name, with a reason that shows the name escaped and cut short):
 * names with a control character (U+0000–U+001F, U+007F–U+009F: PostgreSQL cannot store U+0000,
 * and the others would break log lines and terminals), names longer than {@link #MAX_NAME_BYTES}
 * bytes of UTF-8 (they are key columns: a PostgreSQL index entry holds at most ~2.7 kB), and names
 * that are not valid UTF-8 (they would be stored with U+FFFD in place of the bad bytes). Leading and
 * trailing whitespace is trimmed.
 */
public final class MetricsValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The longest host or metric name, in bytes of UTF-8. */
    public static final int MAX_NAME_BYTES = 1024;

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
        String badHost = nameProblem(hostField, host);
        if (badHost != null) {
            return new Result(List.of(), "host " + badHost);
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
            String badName;
            if (name.isEmpty()) {
                refused.add("a metric with an empty name");
            } else if ((badName = nameProblem(e.getKey(), name)) != null) {
                refused.add("metric " + badName);
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

    /**
     * What is wrong with a (stripped, non-empty) name as the reason's tail, e.g. {@code "a\u000Ab" has
     * a control character (U+000A)}; null when it may be stored. {@code field} is the decoded value
     * (Avro's {@link Utf8}, holding the bytes as they came).
     */
    static String nameProblem(Object field, String name) {
        int bytes = 0;
        boolean replacement = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return shown(name) + " has a control character (U+" + hex4(c) + ")";
            }
            replacement |= c == '\uFFFD';
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes
        }
        if (bytes > MAX_NAME_BYTES) {
            return shown(name) + " is " + bytes + " bytes long (at most " + MAX_NAME_BYTES + ")";
        }
        if (replacement && field instanceof Utf8 u && !validUtf8(u.getBytes(), u.getByteLength())) {
            return shown(name) + " is not valid UTF-8";
        }
        return null;
    }

    /** {@code c} as four upper-case hex digits (a refused record's reason, made for each one: String.format was 5 % of the decode task beside a fuzz). */
    private static String hex4(char c) {
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return "0000".substring(h.length()) + h;
    }

    private static boolean validUtf8(byte[] b, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A name for a reason: quoted, control characters as {@code \\uXXXX}, cut after 64 characters. */
    static String shown(String name) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(name.length(), 64);
        if (n < name.length() && Character.isHighSurrogate(name.charAt(n - 1))) {
            n--; // not half a character
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '"' || c == '\\') {
                sb.append(c == '"' ? "\\\"" : c == '\\' ? "\\\\" : "\\u" + hex4(c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(n < name.length() ? "…\"" : "\"").toString();
    }
}
