package dev.rtm.host.detect;

/**
 * A forecast a model made: a row of {@code forecast_sets}, the points ahead as arrays (read a point a
 * row through the view {@code forecasts}). A Flink POJO.
 */
public final class ForecastRow {

    public String host;
    public String metric;
    public String model;
    /** When the forecast was made: the time of the last point the model had seen. */
    public long madeAt;
    /** Milliseconds between two points ahead: element {@code k} is the point {@code madeAt + (k + 1) * stepMillis}. */
    public long stepMillis;
    /** The expected values; a non-finite one is no forecast for that point. */
    public double[] expected;
    /** The intervals' lower edges, NaN where there is none. */
    public double[] lower;
    /** The intervals' upper edges, NaN where there is none. */
    public double[] upper;

    /** For Flink. */
    public ForecastRow() {
    }

    /** A complete row; the arrays are kept, not copied. */
    public ForecastRow(String host, String metric, String model, long madeAt, long stepMillis, double[] expected,
                       double[] lower, double[] upper) {
        this.host = host;
        this.metric = metric;
        this.model = model;
        this.madeAt = madeAt;
        this.stepMillis = stepMillis;
        this.expected = expected;
        this.lower = lower;
        this.upper = upper;
    }
}
