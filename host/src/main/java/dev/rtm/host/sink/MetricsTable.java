package dev.rtm.host.sink;

import dev.rtm.host.decode.MetricPoint;

/**
 * Raw values: {@code metric_points}, one row per {@link MetricPoint}, keyed by the series' id
 * ({@link SeriesIds}); readers see it with names as the view {@code metrics}.
 */
public final class MetricsTable extends CopyTable<MetricPoint> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final MetricsTable TABLE = new MetricsTable();

    private MetricsTable() {
        super("metric_points", "time, series_id, value", "series_id, time", null);
    }

    @Override
    public void append(MetricPoint p, SeriesIds ids, CopyBuffer out) {
        out.row(3).time(p.timestamp()).series(ids, p.host(), p.metric()).float8(p.value());
    }
}
