package dev.rtm.host.sink;

import dev.rtm.host.decode.MetricPoint;

/** Raw values: {@code metrics}, one row per {@link MetricPoint}. */
public final class MetricsTable extends CopyTable<MetricPoint> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final MetricsTable TABLE = new MetricsTable();

    private MetricsTable() {
        super("metrics", "time, host, metric, value", "host, metric, time", null);
    }

    @Override
    public void append(MetricPoint p, CopyBuffer out) {
        out.row(4).time(p.timestamp()).text(p.host()).text(p.metric()).float8(p.value());
    }
}
