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
    public void append(ScoreRow r, StringBuilder sb) {
        time(sb, r.timestamp).append('\t');
        text(sb, r.host).append('\t');
        text(sb, r.metric).append('\t');
        text(sb, r.model).append('\t').append(r.value).append('\t');
        num(sb, r.expected).append('\t');
        num(sb, r.lower).append('\t');
        num(sb, r.upper).append('\t').append(r.score).append('\t').append(r.anomaly ? 't' : 'f').append('\n');
    }
}
