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
    public void append(AlertEvent e, StringBuilder sb) {
        text(sb, e.alertId).append('\t');
        text(sb, e.state).append('\t');
        text(sb, e.kind).append('\t');
        text(sb, e.host).append('\t');
        text(sb, e.metric).append('\t');
        text(sb, e.models).append('\t');
        text(sb, e.severity).append('\t');
        text(sb, e.rule).append('\t');
        num(sb, e.value).append('\t');
        num(sb, e.expected).append('\t');
        num(sb, e.lower).append('\t');
        num(sb, e.upper).append('\t').append(e.score).append('\t');
        time(sb, e.startsAt).append('\t');
        timeOrNull(sb, e.endsAt).append('\t');
        time(sb, e.at).append('\n');
    }
}
