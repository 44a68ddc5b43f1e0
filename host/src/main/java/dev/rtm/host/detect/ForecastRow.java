package dev.rtm.host.detect;

/**
 * One point of a forecast a model made: a row of {@code forecasts}. A Flink POJO.
 */
public final class ForecastRow {

    public String host;
    public String metric;
    public String model;
    /** When the forecast was made: the time of the last point the model had seen. */
    public long madeAt;
    /** The time forecast. */
    public long timestamp;
    public double expected;
    public double lower;
    public double upper;

    /** For Flink. */
    public ForecastRow() {
    }

    /** A complete row. */
    public ForecastRow(String host, String metric, String model, long madeAt, long timestamp, double expected,
                       double lower, double upper) {
        this.host = host;
        this.metric = metric;
        this.model = model;
        this.madeAt = madeAt;
        this.timestamp = timestamp;
        this.expected = expected;
        this.lower = lower;
        this.upper = upper;
    }
}
