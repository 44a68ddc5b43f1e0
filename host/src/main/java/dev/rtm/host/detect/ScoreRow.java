package dev.rtm.host.detect;

import java.util.Objects;

/**
 * One detector's verdict on one point: a row of {@code anomaly_scores}. A Flink POJO (public
 * fields, no-argument constructor) so it is serialised without Kryo. NaN in
 * expected/lower/upper means "no expectation yet" (NULL in the database).
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(ScoreRowSerializer.Factory.class)
public final class ScoreRow {

    public String host;
    public String metric;
    public String model;
    public long timestamp;
    public double value;
    public double expected;
    public double lower;
    public double upper;
    public double score;
    public boolean anomaly;
    /** How many models score this series (not stored): lets the alert stage judge agreement from the first point. */
    public int seriesModels;

    /** For Flink. */
    public ScoreRow() {
    }

    /** A complete row. */
    public ScoreRow(String host, String metric, String model, long timestamp, double value,
                    double expected, double lower, double upper, double score, boolean anomaly) {
        this.host = host;
        this.metric = metric;
        this.model = model;
        this.timestamp = timestamp;
        this.value = value;
        this.expected = expected;
        this.lower = lower;
        this.upper = upper;
        this.score = score;
        this.anomaly = anomaly;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreRow r && timestamp == r.timestamp && anomaly == r.anomaly
                && Double.compare(value, r.value) == 0 && Double.compare(expected, r.expected) == 0
                && Double.compare(lower, r.lower) == 0 && Double.compare(upper, r.upper) == 0
                && Double.compare(score, r.score) == 0 && Objects.equals(host, r.host)
                && Objects.equals(metric, r.metric) && Objects.equals(model, r.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, metric, model, timestamp);
    }

    @Override
    public String toString() {
        return host + "/" + metric + " " + model + " t=" + timestamp + " x=" + value + " exp=" + expected
                + " score=" + score + (anomaly ? " ANOMALY" : "");
    }
}
