package dev.rtm.host.sink;

import dev.rtm.host.alert.AlertEvent;

/**
 * Transitions of series alerts: {@code alert_events} (the notify stage's input), one row per
 * {@link AlertEvent}. Its rows change, so a batch keeps the newest version of each key.
 */
public final class AlertEventsTable extends CopyTable<AlertEvent> {

    private static final long serialVersionUID = 1L;

    /** The table. */
    public static final AlertEventsTable TABLE = new AlertEventsTable();

    private AlertEventsTable() {
        super("alert_events", "alert_id, state, kind, host, metric, models, severity, rule, value, expected, lower, upper, "
                + "score, starts_at, ends_at, at", "alert_id, state", "at DESC");
    }

    @Override
    public void append(AlertEvent e, SeriesIds ids, CopyBuffer out) {
        out.row(16).text(e.alertId).text(e.state).text(e.kind).text(e.host).text(e.metric).text(e.models)
                .text(e.severity).text(e.rule).float8OrNull(e.value).float8OrNull(e.expected).float8OrNull(e.lower)
                .float8OrNull(e.upper).float8(e.score).time(e.startsAt).timeOrNull(e.endsAt).time(e.at);
    }
}
