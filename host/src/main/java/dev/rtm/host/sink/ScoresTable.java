package dev.rtm.host.sink;

import dev.rtm.host.detect.ScoreRow;

/**
 * Per-model scores: {@code score_points}, one row per {@link ScoreRow}, keyed by the series' and the
 * model's ids ({@link SeriesIds}); readers see it with names as the view {@code anomaly_scores}.
 */
public final class ScoresTable extends CopyTable<ScoreRow> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final ScoresTable TABLE = new ScoresTable();

    private ScoresTable() {
        super("score_points", "time, series_id, model_id, value, expected, lower, upper, score, is_anomaly",
                "series_id, model_id, time", null);
    }

    @Override
    public void append(ScoreRow r, SeriesIds ids, CopyBuffer out) {
        out.row(9).time(r.timestamp).series(ids, r.host, r.metric).model(ids, r.model).float8(r.value)
                .float8OrNull(r.expected).float8OrNull(r.lower).float8OrNull(r.upper).float8(r.score).bool(r.anomaly);
    }
}
