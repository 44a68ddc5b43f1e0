package dev.rtm.host.sink;

import dev.rtm.host.detect.ForecastRow;

/**
 * Forecasts: {@code forecast_points}, one row per {@link ForecastRow}, keyed by the series' and the model's
 * ids ({@link SeriesIds}); readers see it with names as the view {@code forecasts}.
 */
public final class ForecastsTable extends CopyTable<ForecastRow> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final ForecastsTable TABLE = new ForecastsTable();

    private ForecastsTable() {
        super("forecast_points", "made_at, time, series_id, model_id, expected, lower, upper", "series_id, model_id, made_at, time", null);
    }

    @Override
    public void append(ForecastRow r, SeriesIds ids, CopyBuffer out) {
        out.row(7).time(r.madeAt).time(r.timestamp).series(ids, r.host, r.metric).model(ids, r.model).float8(r.expected)
                .float8OrNull(r.lower).float8OrNull(r.upper);
    }
}
