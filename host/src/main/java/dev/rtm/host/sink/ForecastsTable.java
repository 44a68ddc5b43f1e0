package dev.rtm.host.sink;

import dev.rtm.host.detect.ForecastRow;

/**
 * Forecasts: {@code forecast_sets}, one row per {@link ForecastRow} (a forecast, its points ahead as arrays),
 * keyed by the series' and the model's ids ({@link SeriesIds}); readers see a point ahead a row, with names,
 * in the view {@code forecasts}.
 */
public final class ForecastsTable extends CopyTable<ForecastRow> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final ForecastsTable TABLE = new ForecastsTable();

    private ForecastsTable() {
        super("forecast_sets", "made_at, series_id, model_id, step, expected, lower, upper", "series_id, model_id, made_at", null);
    }

    @Override
    public void append(ForecastRow r, SeriesIds ids, CopyBuffer out) {
        out.row(7).time(r.madeAt).series(ids, r.host, r.metric).model(ids, r.model).interval(r.stepMillis)
                .float8Array(r.expected, false).float8Array(r.lower, true).float8Array(r.upper, true);
    }
}
