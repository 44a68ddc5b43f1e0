package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PostgresServer;
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
 * A database made before the series dictionary (text-keyed {@code metrics} and
 * {@code anomaly_scores} tables, {@code src/test/resources/sql/init-text-keyed.sql}, the script as it
 * was) is upgraded by applying today's schema: every row moves to the id-keyed tables, the views
 * show them as before, the rollups are made again over them, and the job's sink writes on.
 */
class SchemaUpgradeTest {

    @TempDir
    Path tmp;

    @Test
    void plainPostgresql() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg")); Connection c = pg.connect()) {
            upgrade(c, "postgresql");
        }
    }

    @Test
    void timescaledb() throws Exception {
        PostgresServer.assumeTimescale();
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"), true); Connection c = pg.connect()) {
            upgrade(c, "timescaledb");
        }
    }

    private static void upgrade(Connection c, String mode) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(oldScript());
            s.execute("INSERT INTO metrics SELECT now() - i * interval '10 seconds', 'web-' || (i % 3), 'cpu', i FROM generate_series(1, 300) i");
            s.execute("INSERT INTO anomaly_scores SELECT now() - i * interval '10 seconds', 'web-' || (i % 3), 'cpu', m, i, i, i - 1, i + 1, "
                    + "i / 10.0, i % 25 = 0 FROM generate_series(1, 300) i, unnest(ARRAY['ewma', 'arima']) m");
            List<String> before = List.of(one(s, "SELECT count(*) || ' ' || sum(value) FROM metrics"),
                    one(s, "SELECT count(*) || ' ' || sum(score) || ' ' || count(*) FILTER (WHERE is_anomaly) FROM anomaly_scores"),
                    one(s, "SELECT string_agg(host || ' ' || samples, ',' ORDER BY host) FROM (SELECT host, sum(samples) AS samples "
                            + "FROM metrics_1h GROUP BY host) x"));

            assertThat(Schema.apply(c)).isEqualTo(mode);

            assertThat(one(s, "SELECT relkind::text FROM pg_class WHERE oid = 'metrics'::regclass")).as("metrics is a view now").isEqualTo("v");
            assertThat(List.of(one(s, "SELECT count(*) || ' ' || sum(value) FROM metrics"),
                    one(s, "SELECT count(*) || ' ' || sum(score) || ' ' || count(*) FILTER (WHERE is_anomaly) FROM anomaly_scores"),
                    one(s, "SELECT string_agg(host || ' ' || samples, ',' ORDER BY host) FROM (SELECT host, sum(samples) AS samples "
                            + "FROM metrics_1h GROUP BY host) x")))
                    .as("every row moved, the rollups read them").isEqualTo(before);
            assertThat(one(s, "SELECT count(*) FROM series")).isEqualTo("3");
            assertThat(one(s, "SELECT string_agg(name, ',' ORDER BY name) FROM models")).isEqualTo("arima,ewma");
            assertThat(one(s, "SELECT sum(points) FROM scores_1m")).isEqualTo("600");

            // applied again: nothing moves twice
            assertThat(Schema.apply(c)).isEqualTo(mode);
            assertThat(one(s, "SELECT count(*) FROM metric_points")).isEqualTo("300");
            // the sink writes on
            c.setAutoCommit(false);
            SeriesIds ids = new SeriesIds();
            CopyBuffer out = new CopyBuffer();
            var p = new dev.rtm.host.decode.MetricPoint("web-1", "cpu", System.currentTimeMillis(), 1000);
            MetricsTable.TABLE.append(p, ids, out);
            ids.resolve(c, out);
            out.copyInto(((org.postgresql.PGConnection) c).getCopyAPI(), MetricsTable.TABLE.name(), MetricsTable.TABLE.columns());
            c.commit();
            assertThat(one(s, "SELECT count(*) FROM series")).as("web-1/cpu kept its id").isEqualTo("3");
            assertThat(one(s, "SELECT count(*) FROM metrics WHERE host = 'web-1'")).isEqualTo("101");
        }
    }

    private static String oldScript() throws Exception {
        try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream("/sql/init-text-keyed.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String one(Statement s, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        assertThat(out).as(sql).hasSize(1);
        return out.get(0);
    }
}
