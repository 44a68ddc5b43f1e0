package dev.rtm.host.alert;

/**
 * One alert of one model on one series, as a row of {@code alerts}: written when it fires, again
 * when its peak grows, and when it resolves (an upsert on host, metric, model, started_at). Times
 * are the points' timestamps. A Flink POJO.
 */
public final class AlertRow {

    /** The alert's state. */
    public static final String FIRING = "firing";
    /** The alert's state once ended. */
    public static final String RESOLVED = "resolved";

    public String host;
    public String metric;
    public String model;
    /** The first flagged point of the window that fired it. */
    public long startedAt;
    /** The point that resolved it; 0 while firing. */
    public long endedAt;
    public String state;
    public double peakScore;
    /** Flagged points in the window that fired it and since. */
    public int flagged;
    /** The newest point the alert has seen. */
    public long updatedAt;

    /** For Flink. */
    public AlertRow() {
    }

    /** A complete row. */
    public AlertRow(String host, String metric, String model, long startedAt, long endedAt, String state, double peakScore,
                    int flagged, long updatedAt) {
        this.host = host;
        this.metric = metric;
        this.model = model;
        this.startedAt = startedAt;
        this.endedAt = endedAt;
        this.state = state;
        this.peakScore = peakScore;
        this.flagged = flagged;
        this.updatedAt = updatedAt;
    }

    @Override
    public String toString() {
        return state + " " + host + " " + metric + " " + model + " from " + startedAt + (endedAt > 0 ? " to " + endedAt : "")
                + " peak " + peakScore + " flagged " + flagged;
    }
}
