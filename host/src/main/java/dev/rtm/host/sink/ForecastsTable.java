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
    public void append(ForecastRow r, StringBuilder sb) {
        time(sb, r.madeAt).append('\t');
        time(sb, r.timestamp).append('\t');
        text(sb, r.host).append('\t');
        text(sb, r.metric).append('\t');
        text(sb, r.model).append('\t').append(r.expected).append('\t');
        num(sb, r.lower).append('\t');
        num(sb, r.upper).append('\n');
    }
}
