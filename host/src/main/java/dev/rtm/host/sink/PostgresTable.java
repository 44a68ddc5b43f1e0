package dev.rtm.host.sink;

import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.detect.ScoreRow;
import java.io.Serializable;
import java.time.Instant;

/**
 * How one kind of row maps to one table: its columns, primary key, and COPY text line.
 *
 * @param <T> the row type
 */
public interface PostgresTable<T> extends Serializable {

    /** Table name. */
    String name();

    /** Column list, in COPY order. */
    String columns();

    /** Primary key columns (the upsert conflict target). */
    String key();

    /** Non-key columns, updated on conflict. */
    String updated();

    /**
     * For tables whose rows change (an alert fires, then resolves): the ORDER BY that puts the newest
     * version of a key first, so a batch holding several versions keeps the newest. Null: a key's
     * rows are replays of one another.
     *
     * <p>Not a default method on purpose: an interface with default methods is initialised with each
     * implementing class, and this interface's constants are instances of its own implementations, so
     * two threads deserialising them at once (Flink 2 deserialises operators in parallel) deadlock on
     * class initialisation. Seen on a standalone cluster; {@code ClusterJobIT} hung in the JobManager.
     */
    String newestFirst();

    /** Appends one row in COPY text format, ending with a newline. */
    void append(T row, StringBuilder sb);

    /** Raw values: {@code metrics}. */
    PostgresTable<MetricPoint> METRICS = new PostgresTable<>() {
        private static final long serialVersionUID = 1L;

        public String name() {
            return "metrics";
        }

        public String columns() {
            return "time, host, metric, value";
        }

        public String key() {
            return "host, metric, time";
        }

        public String updated() {
            return "value";
        }

        public String newestFirst() {
            return null;
        }

        public void append(MetricPoint p, StringBuilder sb) {
            sb.append(Instant.ofEpochMilli(p.timestamp())).append('\t');
            text(sb, p.host()).append('\t');
            text(sb, p.metric()).append('\t').append(p.value()).append('\n');
        }
    };

    /** Per-model scores: {@code anomaly_scores}. */
    PostgresTable<ScoreRow> SCORES = new PostgresTable<>() {
        private static final long serialVersionUID = 1L;

        public String name() {
            return "anomaly_scores";
        }

        public String columns() {
            return "time, host, metric, model, value, expected, lower, upper, score, is_anomaly";
        }

        public String key() {
            return "host, metric, model, time";
        }

        public String updated() {
            return "value, expected, lower, upper, score, is_anomaly";
        }

        public String newestFirst() {
            return null;
        }

        public void append(ScoreRow r, StringBuilder sb) {
            sb.append(Instant.ofEpochMilli(r.timestamp)).append('\t');
            text(sb, r.host).append('\t');
            text(sb, r.metric).append('\t');
            text(sb, r.model).append('\t').append(r.value).append('\t');
            num(sb, r.expected).append('\t');
            num(sb, r.lower).append('\t');
            num(sb, r.upper).append('\t').append(r.score).append('\t').append(r.anomaly ? 't' : 'f').append('\n');
        }
    };

    /** Forecasts: {@code forecasts}. */
    PostgresTable<dev.rtm.host.detect.ForecastRow> FORECASTS = new PostgresTable<>() {
        private static final long serialVersionUID = 1L;

        public String name() {
            return "forecasts";
        }

        public String columns() {
            return "made_at, time, host, metric, model, expected, lower, upper";
        }

        public String key() {
            return "host, metric, model, made_at, time";
        }

        public String updated() {
            return "expected, lower, upper";
        }

        public String newestFirst() {
            return null;
        }

        public void append(dev.rtm.host.detect.ForecastRow r, StringBuilder sb) {
            sb.append(Instant.ofEpochMilli(r.madeAt)).append('\t').append(Instant.ofEpochMilli(r.timestamp)).append('\t');
            text(sb, r.host).append('\t');
            text(sb, r.metric).append('\t');
            text(sb, r.model).append('\t').append(r.expected).append('\t');
            num(sb, r.lower).append('\t');
            num(sb, r.upper).append('\n');
        }
    };

    /** Alerts: {@code alerts}. */
    PostgresTable<dev.rtm.host.alert.AlertRow> ALERTS = new PostgresTable<>() {
        private static final long serialVersionUID = 1L;

        public String name() {
            return "alerts";
        }

        public String columns() {
            return "started_at, host, metric, model, ended_at, state, peak_score, flagged, updated_at";
        }

        public String key() {
            return "host, metric, model, started_at";
        }

        public String updated() {
            return "ended_at, state, peak_score, flagged, updated_at";
        }

        public String newestFirst() {
            return "updated_at DESC";
        }

        public void append(dev.rtm.host.alert.AlertRow r, StringBuilder sb) {
            sb.append(Instant.ofEpochMilli(r.startedAt)).append('\t');
            text(sb, r.host).append('\t');
            text(sb, r.metric).append('\t');
            text(sb, r.model).append('\t');
            (r.endedAt == 0 ? sb.append("\\N") : sb.append(Instant.ofEpochMilli(r.endedAt))).append('\t');
            text(sb, r.state).append('\t').append(r.peakScore).append('\t').append(r.flagged).append('\t')
                    .append(Instant.ofEpochMilli(r.updatedAt)).append('\n');
        }
    };

    /** Transitions of series alerts: {@code alert_events} (the notify stage's input). */
    PostgresTable<dev.rtm.host.alert.AlertEvent> ALERT_EVENTS = new PostgresTable<>() {
        private static final long serialVersionUID = 1L;

        public String name() {
            return "alert_events";
        }

        public String columns() {
            return "alert_id, state, kind, host, metric, models, severity, rule, value, expected, lower, upper, score, starts_at, ends_at, at";
        }

        public String key() {
            return "alert_id, state";
        }

        public String updated() {
            return "kind, host, metric, models, severity, rule, value, expected, lower, upper, score, starts_at, ends_at, at";
        }

        public String newestFirst() {
            return "at DESC";
        }

        public void append(dev.rtm.host.alert.AlertEvent e, StringBuilder sb) {
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
            num(sb, e.upper).append('\t').append(e.score).append('\t').append(Instant.ofEpochMilli(e.startsAt)).append('\t');
            (e.endsAt == 0 ? sb.append("\\N") : sb.append(Instant.ofEpochMilli(e.endsAt))).append('\t')
                    .append(Instant.ofEpochMilli(e.at)).append('\n');
        }
    };

    /** A text value escaped for COPY's text format. */
    static StringBuilder text(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb;
    }

    /** A double, NaN as NULL. */
    static StringBuilder num(StringBuilder sb, double d) {
        return Double.isNaN(d) ? sb.append("\\N") : sb.append(d);
    }
}
