package dev.rtm.host.alert;

import dev.rtm.wire.Schemas;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A transition of a series' alert (the one people are told about): it fired or it resolved. A row
 * of {@code alert_events} and a record of the Kafka {@code alerts} topic; the notify stage turns
 * these into notifications. A Flink POJO; times are the points' timestamps (epoch ms).
 */
public final class AlertEvent {

    /** An anomaly alert: the rule's models agree that the series is abnormal. */
    public static final String ANOMALY = "anomaly";
    /** The series stopped reporting. */
    public static final String NODATA = "nodata";
    /** A detector overran its time budget (or ran out of memory) on the series and is quarantined there ({@code models} names it). */
    public static final String DETECTOR = "detector";

    /** The {@code rule} of a detector alert whose call ran out of memory (else {@code time-budget}). */
    public static final String OUT_OF_MEMORY = "out-of-memory";

    /** Fingerprint of the incident: the same for its firing and resolved transitions. */
    public String alertId;
    /** {@link AlertRow#FIRING} or {@link AlertRow#RESOLVED}. */
    public String state;
    /** {@link #ANOMALY}, {@link #NODATA} or {@link #DETECTOR}. */
    public String kind;
    public String host;
    public String metric;
    /** The models that flagged it, comma separated (empty for nodata). */
    public String models;
    /** warning or critical. */
    public String severity;
    /** The name of the rule that made it ({@code default}: the alerts section's). */
    public String rule = "default";
    /** Value, expectation and band at the alert's peak (NaN where unknown); for a detector alert, value is how
     *  long the call that put it in quarantine took, in ms. */
    public double value;
    public double expected;
    public double lower;
    public double upper;
    /** The peak score, in sigmas. */
    public double score;
    public long startsAt;
    /** 0 while firing. */
    public long endsAt;
    /** The point that made the transition. */
    public long at;

    /** For Flink. */
    public AlertEvent() {
    }

    /** The fingerprint of the incident of a series starting at {@code startsAt}. */
    public static String fingerprint(String host, String metric, String kind, long startsAt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((host + '\u0000' + metric + '\u0000' + kind + '\u0000' + startsAt).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The alert of a detector's quarantine on a series: firing when it starts, resolved when the detector answers again. */
    public static AlertEvent of(dev.rtm.host.detect.DetectorGuard.Change c) {
        AlertEvent e = new AlertEvent();
        e.alertId = fingerprint(c.host(), c.metric(), DETECTOR + '/' + c.model(), c.since());
        e.state = c.quarantined() ? AlertRow.FIRING : AlertRow.RESOLVED;
        e.kind = DETECTOR;
        e.host = c.host();
        e.metric = c.metric();
        e.models = c.model();
        e.severity = "warning";
        e.rule = c.outOfMemory() ? OUT_OF_MEMORY : "time-budget";
        e.value = c.quarantined() ? c.tookMillis() : Double.NaN;
        e.expected = Double.NaN;
        e.lower = Double.NaN;
        e.upper = Double.NaN;
        e.startsAt = c.since();
        e.endsAt = c.quarantined() ? 0 : c.at();
        e.at = c.at();
        return e;
    }

    /** As an Avro record of the {@code alerts} topic ({@code alert-event.avsc}). */
    public org.apache.avro.generic.GenericRecord toAvro() {
        var a = new org.apache.avro.generic.GenericData.Record(dev.rtm.wire.Schemas.ALERT_EVENT);
        a.put("alert_id", alertId);
        a.put("state", state);
        a.put("kind", kind);
        a.put("host", host);
        a.put("metric", metric);
        a.put("models", models == null || models.isEmpty() ? java.util.List.of() : java.util.List.of(models.split(",")));
        a.put("severity", severity);
        a.put("rule", rule);
        a.put("value", Double.isNaN(value) ? null : value);
        a.put("expected", Double.isNaN(expected) ? null : expected);
        a.put("lower", Double.isNaN(lower) ? null : lower);
        a.put("upper", Double.isNaN(upper) ? null : upper);
        a.put("score", score);
        a.put("starts_at", startsAt);
        a.put("ends_at", endsAt == 0 ? null : endsAt);
        a.put("at", at);
        return a;
    }

    /** Whether this is a firing transition. */
    public boolean firing() {
        return AlertRow.FIRING.equals(state);
    }

    @Override
    public String toString() {
        return state + " " + kind + " " + host + " " + metric + " [" + models + "] " + severity + " from " + startsAt
                + (endsAt > 0 ? " to " + endsAt : "") + " score " + score + " id " + alertId;
    }
}
