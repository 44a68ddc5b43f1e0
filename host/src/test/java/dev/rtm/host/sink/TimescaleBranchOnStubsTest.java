package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.infra.PostgresServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * init.sql's TimescaleDB branch, run on plain PostgreSQL against stand-ins of the TimescaleDB 2.x
 * functions it calls (documented parameter names and types; see
 * {@code timescale-stubs/api-2x.sql}): it compiles, its dynamic SQL is valid (the rollups are
 * created as materialized views, only their TimescaleDB options left out), it passes the
 * configured chunk size, compression age, retention and refresh windows, and it can be applied
 * again. What TimescaleDB then does with them is {@link TimescaleSchemaTest}'s part.
 */
class TimescaleBranchOnStubsTest {

    @TempDir
    Path tmp;

    /** init.sql with the extension pretended present and the statements only TimescaleDB parses recorded instead. */
    static String branch() {
        String s = Schema.script();
        String[][] swaps = {
            {"IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN", "IF false THEN"},
            {"    CREATE EXTENSION IF NOT EXISTS timescaledb;\n", ""},
            {"WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS ", "AS "},
            {"EXECUTE format('ALTER TABLE %I SET (timescaledb.compress, timescaledb.compress_segmentby = %L, '\n"
                    + "                           'timescaledb.compress_orderby = %L)', r.tab, r.segmentby, r.orderby);",
                "EXECUTE format('INSERT INTO calls VALUES (%L, %L)', 'compress', r.tab || ' ' || r.segmentby || ' / ' || r.orderby);"},
        };
        for (String[] swap : swaps) {
            assertThat(s).as("init.sql still has what this test swaps").contains(swap[0]);
            s = s.replace(swap[0], swap[1]);
        }
        return s;
    }

    @Test
    void theTimescaleBranchCallsWhatItShouldWithTheConfiguredValues() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg")); Connection c = pg.connect(); Statement s = c.createStatement()) {
            try (InputStream in = getClass().getResourceAsStream("/timescale-stubs/api-2x.sql")) {
                s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            assertThat(Schema.apply(c, new Schema.Storage(12, 3, 10, 20, 40), branch())).isEqualTo("postgresql");
            assertThat(calls(s)).containsExactlyInAnyOrder(
                    "create_hypertable metrics time 12:00:00 idx=false", "create_hypertable anomaly_scores time 12:00:00 idx=false",
                    "create_hypertable forecasts made_at 12:00:00 idx=false",
                    "set_chunk_time_interval metrics 12:00:00", "set_chunk_time_interval anomaly_scores 12:00:00",
                    "set_chunk_time_interval forecasts 12:00:00",
                    "compress metrics host, metric / time DESC", "compress anomaly_scores host, metric, model / time DESC",
                    "compress forecasts host, metric, model / made_at DESC, time",
                    "remove_compression_policy metrics", "remove_compression_policy anomaly_scores", "remove_compression_policy forecasts",
                    "add_compression_policy metrics 3 days", "add_compression_policy anomaly_scores 3 days",
                    "add_compression_policy forecasts 3 days",
                    "remove_retention_policy metrics", "remove_retention_policy anomaly_scores", "remove_retention_policy forecasts",
                    "add_retention_policy metrics 10 days", "add_retention_policy anomaly_scores 10 days",
                    "add_retention_policy forecasts 10 days",
                    "remove_continuous_aggregate_policy metrics_1m", "remove_continuous_aggregate_policy metrics_1h",
                    "remove_continuous_aggregate_policy scores_1m", "remove_continuous_aggregate_policy scores_1h",
                    "add_continuous_aggregate_policy metrics_1m 7 days 00:01:00 00:01:00",
                    "add_continuous_aggregate_policy scores_1m 7 days 00:01:00 00:01:00",
                    "add_continuous_aggregate_policy metrics_1h 7 days 01:00:00 00:30:00",
                    "add_continuous_aggregate_policy scores_1h 7 days 01:00:00 00:30:00",
                    "remove_retention_policy metrics_1m", "remove_retention_policy metrics_1h",
                    "remove_retention_policy scores_1m", "remove_retention_policy scores_1h",
                    "add_retention_policy metrics_1m 20 days", "add_retention_policy scores_1m 20 days",
                    "add_retention_policy metrics_1h 40 days", "add_retention_policy scores_1h 40 days");
            assertThat(strings(s, "SELECT relname || ' ' || relkind::text FROM pg_class WHERE relname ~ '^(metrics|scores)_1[mh]$' ORDER BY 1"))
                    .as("the rollups' queries are valid continuous-aggregate bodies (created here as materialized views)")
                    .containsExactly("metrics_1h m", "metrics_1m m", "scores_1h m", "scores_1m m");
            assertThat(strings(s, "SELECT rtm_use_rollups()::text")).containsExactly("true");

            // again, with compression and rollup retention off and short raw retention
            s.execute("TRUNCATE calls");
            Schema.apply(c, new Schema.Storage(24, 0, 3, 0, 0), branch());
            List<String> again = calls(s);
            assertThat(again).noneMatch(x -> x.startsWith("add_compression_policy"))
                    .contains("add_retention_policy metrics 3 days", "add_continuous_aggregate_policy metrics_1m 2 days 00:01:00 00:01:00")
                    .noneMatch(x -> x.startsWith("add_retention_policy metrics_1") || x.startsWith("add_retention_policy scores_1"))
                    .noneMatch(x -> x.startsWith("create_hypertable") && !x.contains("24:00:00"));
        }
    }

    private static List<String> calls(Statement s) throws Exception {
        return strings(s, "SELECT fn || ' ' || args FROM calls");
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
