package dev.rtm.cli.grafana;

import static dev.rtm.cli.grafana.GrafanaDashboardsTest.column;
import static dev.rtm.cli.grafana.GrafanaDashboardsTest.everyQuery;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtm.local.KafkaBroker;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import dev.rtm.render.DashboardRenderer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and the job's sinks on a real TimescaleDB (the one CI builds from source; see
 * {@link PostgresServer}): a real job run writes into the hypertables, every chunk is then
 * compressed, and every panel, variable and annotation query — expanded as Grafana does with the
 * data source's {@code timescaledb: true} — must return exactly the rows it returned before
 * compression, then again after the continuous aggregates were materialised from the compressed
 * chunks, and again after the whole topic was replayed into the compressed chunks (the sink's
 * COPY + upsert: a re-sent batch changes no count and restores an overwritten value).
 */
class TimescaleDashboardsTest {

    private static final String[] HYPERTABLES = {"metric_points", "score_points", "forecast_sets"};
    /** The continuous aggregates behind the views metrics_1m, metrics_1h, scores_1m, scores_1h. */
    private static final String[] ROLLUPS = {"metric_points_1m", "metric_points_1h", "score_points_1m", "score_points_1h"};
    /** Grafana's interval at each tier; "+raw": rtm_use_rollups() forced off, so the raw rows are read at 5 m and 2 h too. */
    private static final List<String> TIERS = List.of("10s", "5m", "2h", "5m+raw", "2h+raw");

    @TempDir
    Path tmp;

    @Test
    void panelsReadCompressedChunksAndAReplayIntoThemStaysExactlyOnce() throws Exception {
        PostgresServer.assumeTimescale();
        // the compose stack's data source: its database is TimescaleDB, so Grafana groups time with time_bucket
        boolean timescaledb = GrafanaDashboardsTest.YAML.readTree(GrafanaDashboardsTest.GRAFANA.resolve("provisioning/datasources/rtm.yaml")
                .toFile()).path("datasources").get(0).path("jsonData").path("timescaledb").asBoolean();
        assertThat(timescaledb).as("jsonData.timescaledb of the rtm data source").isTrue();
        Instant now = Instant.now();
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"), true);
             Connection c = pg.connect(); Statement s = c.createStatement()) {
            assertThat(Schema.apply(c)).isEqualTo("timescaledb");
            GrafanaDashboardsTest.fill(broker, pg, now, tmp);
            List<String> counts = counts(c);
            assertThat(counts).as("3 hosts x 2 metrics x 300 points, each scored by 2 models")
                    .contains("metrics 1800", "anomaly_scores 3600");
            GrafanaDashboardsTest.rollupsAgreeWithTheRawRows(c);
            Map<String, List<String>> uncompressed = everyQuery(c, now, timescaledb, TIERS);

            for (String t : HYPERTABLES) {
                assertThat(column(c, "SELECT count(compress_chunk(ch))::text FROM show_chunks('" + t + "') ch"))
                        .as(t + " chunks compressed").singleElement().isNotEqualTo("0");
            }
            assertThat(column(c, "SELECT count(*)::text FROM timescaledb_information.chunks WHERE hypertable_schema = current_schema() "
                    + "AND hypertable_name IN ('metric_points', 'score_points', 'forecast_sets') AND NOT is_compressed"))
                    .as("uncompressed chunks left").containsExactly("0");
            assertThat(counts(c)).as("row counts on compressed chunks").isEqualTo(counts);
            GrafanaDashboardsTest.rollupsAgreeWithTheRawRows(c);
            assertThat(everyQuery(c, now, timescaledb, TIERS)).as("every query on compressed chunks (real-time aggregates)")
                    .isEqualTo(uncompressed);

            // materialise the continuous aggregates from the compressed chunks; the panels must not change
            for (String r : ROLLUPS) {
                s.execute("CALL refresh_continuous_aggregate('" + r + "', NULL, NULL)");
            }
            assertThat(materialisedRows(c)).as("rows materialised per continuous aggregate").allSatisfy((r, n) -> assertThat(n).isPositive());
            GrafanaDashboardsTest.rollupsAgreeWithTheRawRows(c);
            assertThat(everyQuery(c, now, timescaledb, TIERS)).as("every query with materialised aggregates").isEqualTo(uncompressed);

            // the whole topic again, as a restarted job without state would send it: the upserts land in
            // compressed chunks, add nothing, and put back a value changed meanwhile
            s.execute("UPDATE metric_points SET value = -1 WHERE series_id = (SELECT id FROM series WHERE host = 'web-1' AND metric = 'cpu.total_pct')");
            GrafanaDashboardsTest.runJob(broker, pg, tmp, "grafana-test-replay");
            assertThat(column(c, "SELECT count(*)::text FROM metrics WHERE value = -1")).as("values restored by the replay")
                    .containsExactly("0");
            assertThat(counts(c)).as("row counts after the replay: exactly once").isEqualTo(counts);
            for (String r : ROLLUPS) {
                s.execute("CALL refresh_continuous_aggregate('" + r + "', NULL, NULL)");
            }
            GrafanaDashboardsTest.rollupsAgreeWithTheRawRows(c);
            assertThat(everyQuery(c, now, timescaledb, TIERS)).as("every query after the replay").isEqualTo(uncompressed);

            // rtm render on the same database: every panel gets rows
            for (Path file : GrafanaDashboardsTest.postgresDashboards()) {
                JsonNode d = GrafanaDashboardsTest.JSON.readTree(file.toFile());
                DashboardRenderer.Rendered r = DashboardRenderer.render(c, d, GrafanaDashboardsTest.from(now),
                        GrafanaDashboardsTest.to(now), Map.of(), 1200);
                assertThat(r.rowsByPanel()).as(file.getFileName() + " rendered panels").isNotEmpty()
                        .allSatisfy((panel, rows) -> assertThat(rows).as(file.getFileName() + " rendered " + panel).isPositive());
            }
        }
    }

    /** "table rows" for each hypertable, plus the alert tables the job upserts into. */
    private static List<String> counts(Connection c) throws Exception {
        return column(c, "SELECT x FROM (SELECT 'metrics ' || count(*) FROM metrics UNION ALL SELECT 'anomaly_scores ' || count(*) "
                + "FROM anomaly_scores UNION ALL SELECT 'forecasts ' || count(*) FROM forecasts UNION ALL SELECT 'alerts ' || count(*) "
                + "FROM alerts UNION ALL SELECT 'alert_events ' || count(*) FROM alert_events) u(x) ORDER BY x");
    }

    /** Rows in each continuous aggregate's materialisation hypertable (0 until a refresh ran). */
    private static Map<String, Long> materialisedRows(Connection c) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String r : ROLLUPS) {
            String table = column(c, "SELECT format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) "
                    + "FROM timescaledb_information.continuous_aggregates WHERE view_schema = current_schema() AND view_name = '" + r + "'")
                    .get(0);
            out.put(r, Long.parseLong(column(c, "SELECT count(*) FROM " + table).get(0)));
        }
        return out;
    }
}
