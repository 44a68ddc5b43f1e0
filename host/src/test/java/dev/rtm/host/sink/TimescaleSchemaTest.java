package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TimescaleDB path of {@code sql/init.sql}: hypertables with the configured chunk size,
 * compression segmented by series, retention, and real-time continuous aggregates with refresh
 * and retention policies; re-applied with other settings, the policies follow.
 *
 * <p>Runs on a real TimescaleDB: the one CI builds from the vendored source release (see
 * {@link PostgresServer}; without it the test is skipped and says how to build it, and with
 * {@code RTM_REQUIRE_TIMESCALE=1}, as in CI, it fails), or against {@code RTM_TEST_TIMESCALE_URL}, e.g. the compose
 * stack's database when it is a throwaway one (the test writes rows): {@code RTM_TEST_TIMESCALE_URL=jdbc:postgresql://localhost:5432/rtm?user=rtm&password=...}.
 */
class TimescaleSchemaTest {

    @TempDir
    Path tmp;

    @Test
    void hypertablesCompressionRetentionAndContinuousAggregates() throws Exception {
        PostgresServer.assumeTimescale();
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"), true); Connection c = pg.connect();
             Statement s = c.createStatement()) {
            assertThat(Schema.apply(c, new Schema.Storage(12, 3, 10, 20, 40))).isEqualTo("timescaledb");
            assertThat(strings(s, "SELECT rtm_use_rollups()::text")).containsExactly("true");

            assertThat(strings(s, "SELECT hypertable_name FROM timescaledb_information.hypertables "
                    + "WHERE hypertable_schema = current_schema() AND compression_enabled ORDER BY 1"))
                    .containsExactly("forecast_sets", "metric_points", "score_points");
            assertThat(strings(s, "SELECT DISTINCT time_interval::text FROM timescaledb_information.dimensions "
                    + "WHERE hypertable_schema = current_schema() AND hypertable_name IN ('metric_points', 'score_points', 'forecast_sets')"))
                    .containsExactly("12:00:00");
            assertThat(strings(s, "SELECT attname FROM timescaledb_information.compression_settings "
                    + "WHERE hypertable_name = 'score_points' AND segmentby_column_index IS NOT NULL ORDER BY segmentby_column_index"))
                    .containsExactly("series_id", "model_id");
            assertThat(strings(s, "SELECT attname FROM timescaledb_information.compression_settings "
                    + "WHERE hypertable_name = 'forecast_sets' AND segmentby_column_index IS NOT NULL ORDER BY segmentby_column_index"))
                    .containsExactly("series_id", "model_id");
            assertThat(strings(s, "SELECT hypertable_name || ': ' || string_agg(attname || CASE WHEN orderby_asc THEN ' ASC' ELSE ' DESC' END, "
                    + "', ' ORDER BY orderby_column_index) FROM timescaledb_information.compression_settings "
                    + "WHERE hypertable_schema = current_schema() AND orderby_column_index IS NOT NULL GROUP BY hypertable_name ORDER BY 1"))
                    .as("compressed rows ordered by time within each series")
                    .containsExactly("forecast_sets: made_at DESC", "metric_points: time DESC", "score_points: time DESC");
            assertThat(strings(s, "SELECT tablename || ' ' || indexname FROM pg_indexes WHERE schemaname = current_schema() "
                    + "AND tablename IN ('metric_points', 'score_points', 'forecast_sets') ORDER BY 1"))
                    .as("no default time index: chunks prune by time, BRIN inside one")
                    .containsExactly("forecast_sets forecast_sets_pkey", "metric_points metric_points_pkey", "metric_points metric_points_time_brin",
                            "score_points score_points_flagged_time", "score_points score_points_pkey", "score_points score_points_time_brin");
            assertThat(strings(s, "SELECT view_name || ' ' || materialized_only FROM timescaledb_information.continuous_aggregates "
                    + "WHERE view_schema = current_schema() ORDER BY 1"))
                    .containsExactly("metric_points_1h false", "metric_points_1m false", "score_points_1h false", "score_points_1m false");
            assertThat(policies(s)).containsExactlyInAnyOrder(
                    "policy_compression score_points compress_after 3 days", "policy_compression forecast_sets compress_after 3 days",
                    "policy_compression metric_points compress_after 3 days",
                    "policy_retention score_points drop_after 10 days", "policy_retention forecast_sets drop_after 10 days",
                    "policy_retention metric_points drop_after 10 days",
                    "policy_retention metric_points_1m drop_after 20 days", "policy_retention score_points_1m drop_after 20 days",
                    "policy_retention metric_points_1h drop_after 40 days", "policy_retention score_points_1h drop_after 40 days",
                    "policy_refresh_continuous_aggregate metric_points_1m start_offset 7 days end_offset 00:01:00 every 00:01:00",
                    "policy_refresh_continuous_aggregate score_points_1m start_offset 7 days end_offset 00:01:00 every 00:01:00",
                    "policy_refresh_continuous_aggregate metric_points_1h start_offset 7 days end_offset 01:00:00 every 00:30:00",
                    "policy_refresh_continuous_aggregate score_points_1h start_offset 7 days end_offset 01:00:00 every 00:30:00");

            // real-time aggregation: fresh rows show in the rollups before any refresh ran
            s.execute("INSERT INTO metrics SELECT now() - i * interval '10 seconds', 'h', 'cpu', i FROM generate_series(1, 100) i");
            s.execute("INSERT INTO anomaly_scores SELECT now() - i * interval '10 seconds', 'h', 'cpu', 'ewma', i, i, i - 1, i + 1, "
                    + "i / 10.0, i % 25 = 0 FROM generate_series(1, 100) i");
            assertThat(strings(s, "SELECT sum(samples) || ' ' || max(value_max) FROM metrics_1m")).containsExactly("100 100");
            assertThat(strings(s, "SELECT sum(points) || ' ' || sum(anomalies) FROM scores_1h")).containsExactly("100 4");

            // again, with other settings: idempotent, and the policies follow the config
            assertThat(Schema.apply(c, new Schema.Storage(24, 0, 3, 0, 0))).isEqualTo("timescaledb");
            assertThat(policies(s)).containsExactlyInAnyOrder(
                    "policy_retention score_points drop_after 3 days", "policy_retention forecast_sets drop_after 3 days",
                    "policy_retention metric_points drop_after 3 days",
                    "policy_refresh_continuous_aggregate metric_points_1m start_offset 2 days end_offset 00:01:00 every 00:01:00",
                    "policy_refresh_continuous_aggregate score_points_1m start_offset 2 days end_offset 00:01:00 every 00:01:00",
                    "policy_refresh_continuous_aggregate metric_points_1h start_offset 2 days end_offset 01:00:00 every 00:30:00",
                    "policy_refresh_continuous_aggregate score_points_1h start_offset 2 days end_offset 01:00:00 every 00:30:00");
            assertThat(strings(s, "SELECT DISTINCT time_interval::text FROM timescaledb_information.dimensions "
                    + "WHERE hypertable_schema = current_schema() AND hypertable_name IN ('metric_points', 'score_points', 'forecast_sets')"))
                    .as("chunk size for chunks made from now on").containsExactly("1 day");
            assertThat(strings(s, "SELECT sum(samples)::text FROM metrics_1h")).as("data kept across re-application").containsExactly("100");
        }
    }

    /** "proc table key interval" for every policy job on this schema's relations (refresh: plus end offset and schedule). */
    private static List<String> policies(Statement s) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT j.proc_name, coalesce(ca.view_name, j.hypertable_name), j.config, "
                + "justify_hours(j.schedule_interval)::text "
                + "FROM timescaledb_information.jobs j LEFT JOIN timescaledb_information.continuous_aggregates ca "
                + "ON ca.materialization_hypertable_name = j.hypertable_name "
                + "WHERE j.proc_name IN ('policy_compression', 'policy_retention', 'policy_refresh_continuous_aggregate')")) {
            while (rs.next()) {
                String key = switch (rs.getString(1)) {
                    case "policy_compression" -> "compress_after";
                    case "policy_retention" -> "drop_after";
                    default -> "start_offset";
                };
                String interval;
                try (var q = s.getConnection().prepareStatement("SELECT justify_hours((?::jsonb ->> ?)::interval)::text")) {
                    q.setString(1, rs.getString(3));
                    q.setString(2, key);
                    try (ResultSet v = q.executeQuery()) {
                        v.next();
                        interval = v.getString(1);
                    }
                }
                String refresh = "";
                if (key.equals("start_offset")) {
                    try (var q = s.getConnection().prepareStatement("SELECT justify_hours((?::jsonb ->> 'end_offset')::interval)::text")) {
                        q.setString(1, rs.getString(3));
                        try (ResultSet v = q.executeQuery()) {
                            v.next();
                            refresh = " end_offset " + v.getString(1) + " every " + rs.getString(4);
                        }
                    }
                }
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + key + " " + interval + refresh);
            }
        }
        return out;
    }

    private static List<String> strings(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
