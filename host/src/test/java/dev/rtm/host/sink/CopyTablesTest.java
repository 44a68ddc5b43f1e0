package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.alert.AlertEvent;
import dev.rtm.host.alert.AlertRow;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.detect.ForecastRow;
import dev.rtm.host.detect.ScoreRow;
import dev.rtm.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/** Each table the sink writes matches its {@code CREATE TABLE} in {@code sql/init.sql}; a row's binary COPY, read back from PostgreSQL; the replay upsert. */
class CopyTablesTest {

    static final List<CopyTable<?>> TABLES = List.of(MetricsTable.TABLE, ScoresTable.TABLE, ForecastsTable.TABLE,
            AlertsTable.TABLE, AlertEventsTable.TABLE);

    @Test
    void columnsAndKeyMatchTheScript() {
        String script = Schema.script();
        for (CopyTable<?> t : TABLES) {
            Matcher m = Pattern.compile("CREATE TABLE IF NOT EXISTS " + t.name() + " \\((.*?)\\n\\);", Pattern.DOTALL).matcher(script);
            assertThat(m.find()).as("CREATE TABLE %s in sql/init.sql", t.name()).isTrue();
            List<String> lines = m.group(1).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("--") && !l.startsWith("PRIMARY KEY")).toList();
            List<String> written = split(t.columns());
            assertThat(written).as("%s columns", t.name()).isSubsetOf(lines.stream().map(l -> l.split("\\s+")[0]).toList());
            // a column the sink leaves out is the notifier's (alert_events.handled_at, ...): COPY must be able to leave it out
            assertThat(lines).as("%s columns the sink does not write", t.name())
                    .filteredOn(l -> !written.contains(l.split("\\s+")[0]))
                    .allSatisfy(l -> assertThat(!l.contains("NOT NULL") || l.contains("DEFAULT")).as(l).isTrue());
            Matcher key = Pattern.compile("PRIMARY KEY \\(([^)]*)\\)").matcher(m.group(1));
            assertThat(key.find()).as("%s has a primary key", t.name()).isTrue();
            assertThat(split(t.key())).as("%s key", t.name()).containsExactlyElementsOf(split(key.group(1)));
        }
    }

    /**
     * Every table's binary COPY row, read back from a real PostgreSQL: hostile text (tab, newline,
     * backslash, quotes, 4-byte UTF-8) verbatim, NaN as NULL where the column means "no value yet",
     * NaN and infinities kept where it does not, a firing alert's end as NULL, times to the millisecond.
     */
    @Test
    void everyTableReadsBackWhatItWrote(@TempDir Path tmp) throws Exception {
        String host = "web\t1\n'; DROP TABLE metrics; --\\ \uD83D\uDE00";
        long t = 1_700_000_000_123L;
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg")); Connection c = pg.connect(); Statement s = c.createStatement()) {
            Schema.apply(c);
            c.setAutoCommit(false);
            write(c, MetricsTable.TABLE, new MetricPoint(host, "cpu", t, Double.POSITIVE_INFINITY));
            write(c, ScoresTable.TABLE, new ScoreRow(host, "cpu", "ewma", t, 1.5, Double.NaN, Double.NaN, Double.NaN, 0.25, true));
            write(c, ForecastsTable.TABLE, new ForecastRow(host, "cpu", "arima", t, 60_000, new double[] {2.5, Double.NaN, 4.5, 5.5},
                    new double[] {Double.NaN, 0, Double.NEGATIVE_INFINITY, 4}, new double[] {3.5, 1, 6, Double.POSITIVE_INFINITY}));
            AlertRow a = new AlertRow();
            a.host = host;
            a.metric = "disk\\c";
            a.model = "ewma";
            a.state = AlertRow.FIRING;
            a.startedAt = t;
            a.updatedAt = t + 60_000;
            a.peakScore = 4.5;
            a.flagged = 3;
            write(c, AlertsTable.TABLE, a);
            AlertEvent e = new AlertEvent();
            e.alertId = "fp1";
            e.state = "firing";
            e.kind = "anomaly";
            e.host = host;
            e.metric = "cpu";
            e.models = "ewma,arima";
            e.severity = "critical";
            e.rule = "default";
            e.value = 9;
            e.expected = Double.NaN;
            e.lower = Double.NaN;
            e.upper = Double.NaN;
            e.score = Double.NaN;
            e.startsAt = t;
            e.at = t + 1;
            write(c, AlertEventsTable.TABLE, e);
            c.commit();
            String at = "1700000000123";
            assertThat(rows(s, "SELECT host, metric, value, " + ms("time") + " FROM metrics"))
                    .containsExactly(host + "|cpu|Infinity|" + at);
            assertThat(rows(s, "SELECT host, model, value, expected, lower, upper, score, is_anomaly, " + ms("time") + " FROM anomaly_scores"))
                    .containsExactly(host + "|ewma|1.5|null|null|null|0.25|t|" + at);
            assertThat(rows(s, "SELECT model, expected, lower, upper, " + ms("made_at") + ", " + ms("time") + " FROM forecasts ORDER BY time"))
                    .as("a point ahead a row; none for a non-finite expectation; NaN edges as NULL, infinities kept")
                    .containsExactly("arima|2.5|null|3.5|" + at + "|1700000060123", "arima|4.5|-Infinity|6|" + at + "|1700000180123",
                            "arima|5.5|4|Infinity|" + at + "|1700000240123");
            assertThat(rows(s, "SELECT host, metric, ended_at, state, peak_score, flagged, " + ms("started_at") + ", " + ms("updated_at")
                    + " FROM alerts")).containsExactly(host + "|disk\\c|null|firing|4.5|3|" + at + "|1700000060123");
            assertThat(rows(s, "SELECT alert_id, host, models, value, expected, score, ends_at, " + ms("starts_at") + ", " + ms("at")
                    + " FROM alert_events")).containsExactly("fp1|" + host + "|ewma,arima|9|null|NaN|null|" + at + "|1700000000124");
        }
    }

    /** Writes one row as the sink does: a new series' id is a placeholder, filled in by registering it on the connection. */
    private static <T> void write(Connection c, PostgresTable<T> table, T row) throws Exception {
        CopyBuffer out = new CopyBuffer();
        SeriesIds ids = new SeriesIds();
        table.append(row, ids, out);
        assertThat(ids.missing()).as("%s: a new series waits for its id", table.name())
                .isEqualTo(table == MetricsTable.TABLE || table == ScoresTable.TABLE || table == ForecastsTable.TABLE);
        if (ids.missing()) {
            ids.resolve(c, out);
            assertThat(ids.missing()).isFalse();
        }
        assertThat(out.copyInto(((PGConnection) c).getCopyAPI(), table.name(), table.columns())).as(table.name()).isEqualTo(1);
    }

    /**
     * The series dictionary: two writers meeting the same new series and model register them once
     * and learn the same ids; a known series costs no round trip; the views name the rows.
     */
    @Test
    void writersRegisterASeriesOnceAndLearnTheSameId(@TempDir Path tmp) throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg")); Connection a = pg.connect(); Connection b = pg.connect();
             Statement s = a.createStatement()) {
            Schema.apply(a);
            b.setAutoCommit(false);
            SeriesIds first = new SeriesIds();
            SeriesIds second = new SeriesIds();
            for (SeriesIds ids : List.of(first, second)) {
                assertThat(ids.series("web-1", "cpu")).isEqualTo(SeriesIds.UNKNOWN);
                assertThat(ids.series("web-1", "mem")).isEqualTo(SeriesIds.UNKNOWN);
                assertThat(ids.series("web-2", "cpu")).isEqualTo(SeriesIds.UNKNOWN);
                assertThat(ids.model("ewma")).isEqualTo(SeriesIds.UNKNOWN);
            }
            first.resolve(a);
            second.resolve(b);
            assertThat(first.missing()).isFalse();
            assertThat(first.size()).isEqualTo(3);
            for (String[] k : new String[][] {{"web-1", "cpu"}, {"web-1", "mem"}, {"web-2", "cpu"}}) {
                assertThat(second.series(k[0], k[1])).as("%s/%s", k[0], k[1]).isEqualTo(first.series(k[0], k[1])).isPositive();
            }
            assertThat(second.model("ewma")).isEqualTo(first.model("ewma")).isPositive();
            assertThat(rows(s, "SELECT count(*) FROM series")).containsExactly("3");
            assertThat(rows(s, "SELECT count(*) FROM models")).containsExactly("1");
            assertThat(first.missing()).as("known ids are answered from memory").isFalse();

            CopyBuffer out = new CopyBuffer();
            MetricsTable.TABLE.append(new MetricPoint("web-2", "cpu", 1_700_000_000_000L, 7), second, out);
            assertThat(second.missing()).as("a known series' id is written at once").isFalse();
            // a batch mixing known and new series: the new ones' places are filled in by resolve
            MetricsTable.TABLE.append(new MetricPoint("web-9", "cpu", 1_700_000_000_000L, 9), second, out);
            MetricsTable.TABLE.append(new MetricPoint("web-1", "cpu", 1_700_000_000_000L, 8), second, out);
            MetricsTable.TABLE.append(new MetricPoint("web-9", "cpu", 1_700_000_010_000L, 10), second, out);
            assertThat(second.missing()).isTrue();
            second.resolve(b, out);
            b.setAutoCommit(true);
            out.copyInto(((PGConnection) b).getCopyAPI(), MetricsTable.TABLE.name(), MetricsTable.TABLE.columns());
            assertThat(rows(s, "SELECT host, metric, value FROM metrics ORDER BY value"))
                    .containsExactly("web-2|cpu|7", "web-1|cpu|8", "web-9|cpu|9", "web-9|cpu|10");
            // an INSERT into the view registers a new series and upserts: once, however often it is replayed
            s.execute("INSERT INTO metrics VALUES (to_timestamp(1700000000), 'web-3', 'cpu', 1)");
            s.execute("INSERT INTO metrics VALUES (to_timestamp(1700000000), 'web-3', 'cpu', 2)");
            assertThat(rows(s, "SELECT host, metric, value FROM metrics WHERE host = 'web-3'")).containsExactly("web-3|cpu|2");
            assertThat(rows(s, "SELECT count(*) FROM series")).containsExactly("5");
        }
    }

    private static String ms(String column) {
        return "(extract(epoch FROM " + column + ") * 1000)::bigint";
    }

    private static List<String> rows(Statement s, String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    line.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(line.toString());
            }
        }
        return out;
    }

    @Test
    void aReplayedAlertKeepsTheNewestVersionAndUpdatesEveryOtherColumn() {
        assertThat(PostgresSink.upsert(AlertsTable.TABLE)).isEqualTo("INSERT INTO alerts (started_at, host, metric, model, ended_at, "
                + "state, peak_score, flagged, updated_at) SELECT DISTINCT ON (host, metric, model, started_at) started_at, host, metric, "
                + "model, ended_at, state, peak_score, flagged, updated_at FROM rtm_stage_alerts ORDER BY host, metric, model, "
                + "started_at, updated_at DESC ON CONFLICT (host, metric, model, started_at) DO UPDATE SET ended_at = EXCLUDED.ended_at, "
                + "state = EXCLUDED.state, peak_score = EXCLUDED.peak_score, flagged = EXCLUDED.flagged, updated_at = EXCLUDED.updated_at");
    }

    private static List<String> split(String columns) {
        return Arrays.asList(columns.strip().split(",\\s*"));
    }
}
