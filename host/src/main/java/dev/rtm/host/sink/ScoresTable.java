package dev.rtm.host.sink;

import dev.rtm.host.detect.ScoreRow;

/** Per-model scores: {@code anomaly_scores}, one row per {@link ScoreRow}. */
public final class ScoresTable extends CopyTable<ScoreRow> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final ScoresTable TABLE = new ScoresTable();

    private ScoresTable() {
        super("anomaly_scores", "time, host, metric, model, value, expected, lower, upper, score, is_anomaly",
                "host, metric, model, time", null);
    }

    @Override
    public void append(ScoreRow r, CopyBuffer out) {
        out.row(10).time(r.timestamp).text(r.host).text(r.metric).text(r.model).float8(r.value)
                .float8OrNull(r.expected).float8OrNull(r.lower).float8OrNull(r.upper).float8(r.score).bool(r.anomaly);
    }
}
