package dev.rtm.host.sink;

import dev.rtm.host.detect.ForecastRow;

/** Forecasts: {@code forecasts}, one row per {@link ForecastRow}. */
public final class ForecastsTable extends CopyTable<ForecastRow> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final ForecastsTable TABLE = new ForecastsTable();

    private ForecastsTable() {
        super("forecasts", "made_at, time, host, metric, model, expected, lower, upper", "host, metric, model, made_at, time", null);
    }

    @Override
    public void append(ForecastRow r, SeriesIds ids, CopyBuffer out) {
        out.row(8).time(r.madeAt).time(r.timestamp).text(r.host).text(r.metric).text(r.model).float8(r.expected)
                .float8OrNull(r.lower).float8OrNull(r.upper);
    }
}
