package dev.rtm.host.alert;

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

    /** Fingerprint of the incident: the same for its firing and resolved transitions. */
    public String alertId;
    /** {@link AlertRow#FIRING} or {@link AlertRow#RESOLVED}. */
    public String state;
    /** {@link #ANOMALY} or {@link #NODATA}. */
    public String kind;
    public String host;
    public String metric;
    /** The models that flagged it, comma separated (empty for nodata). */
    public String models;
    /** warning or critical. */
    public String severity;
    /** Value, expectation and band at the alert's peak (NaN where unknown). */
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
