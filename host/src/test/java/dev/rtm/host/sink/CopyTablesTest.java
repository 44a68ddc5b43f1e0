package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.alert.AlertRow;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each table the sink writes matches its {@code CREATE TABLE} in {@code sql/init.sql}; a row's COPY text; the replay upsert. */
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

    @Test
    void anAlertStillFiringHasNoEndAndItsTextIsEscaped() {
        AlertRow r = new AlertRow();
        r.host = "web\t1";
        r.metric = "disk\\c";
        r.model = "ewma";
        r.state = AlertRow.FIRING;
        r.startedAt = 1_700_000_000_000L;
        r.updatedAt = 1_700_000_060_000L;
        r.peakScore = 4.5;
        r.flagged = 3;
        StringBuilder sb = new StringBuilder();
        AlertsTable.TABLE.append(r, sb);
        assertThat(sb).hasToString("2023-11-14T22:13:20Z\tweb\\t1\tdisk\\\\c\tewma\t\\N\tfiring\t4.5\t3\t2023-11-14T22:14:20Z\n");
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
