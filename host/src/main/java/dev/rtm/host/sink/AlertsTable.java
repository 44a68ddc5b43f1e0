package dev.rtm.host.sink;

import dev.rtm.host.alert.AlertRow;

/**
 * Alerts: {@code alerts}, one row per {@link AlertRow}. An alert's row changes (it fires, then
 * resolves), so a batch keeps the newest version of each.
 */
public final class AlertsTable extends CopyTable<AlertRow> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final AlertsTable TABLE = new AlertsTable();

    private AlertsTable() {
        super("alerts", "started_at, host, metric, model, ended_at, state, peak_score, flagged, updated_at",
                "host, metric, model, started_at", "updated_at DESC");
    }

    @Override
    public void append(AlertRow r, SeriesIds ids, CopyBuffer out) {
        out.row(9).time(r.startedAt).text(r.host).text(r.metric).text(r.model).timeOrNull(r.endedAt).text(r.state)
                .float8(r.peakScore).int4(r.flagged).time(r.updatedAt);
    }
}
