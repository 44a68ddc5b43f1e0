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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by an earlier script is upgraded by applying today's schema: every row moves to the
 * id-keyed tables, the views show them as before, the rollups are made again over them, and the job's
 * sink writes on. Two earlier scripts, as they were: before the series dictionary (text-keyed
 * {@code metrics}, {@code anomaly_scores} and {@code forecasts} tables,
 * {@code src/test/resources/sql/init-text-keyed.sql}), and with the dictionary but forecasts still
 * text-keyed ({@code init-text-forecasts.sql}, until 2026-12-04); and one with forecasts keyed by ids a point
 * ahead a row ({@code init-forecast-points.sql}, for a day), whose rows become a row per forecast.
 */
class SchemaUpgradeTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"init-text-keyed.sql, postgresql", "init-text-keyed.sql, timescaledb", "init-text-forecasts.sql, postgresql",
        "init-text-forecasts.sql, timescaledb", "init-forecast-points.sql, postgresql", "init-forecast-points.sql, timescaledb"})
    void upgrades(String oldScript, String mode) throws Exception {
        boolean timescale = mode.equals("timescaledb");
        if (timescale) {
            PostgresServer.assumeTimescale();
        }
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"), timescale); Connection c = pg.connect()) {
            upgrade(c, mode, "/sql/" + oldScript);
        }
    }

    private static void upgrade(Connection c, String mode, String oldScript) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(oldScript(oldScript));
            s.execute("INSERT INTO metrics SELECT now() - i * interval '10 seconds', 'web-' || (i % 3), 'cpu', i FROM generate_series(1, 300) i");
            s.execute("INSERT INTO anomaly_scores SELECT now() - i * interval '10 seconds', 'web-' || (i % 3), 'cpu', m, i, i, i - 1, i + 1, "
                    + "i / 10.0, i % 25 = 0 FROM generate_series(1, 300) i, unnest(ARRAY['ewma', 'arima']) m");
            s.execute("INSERT INTO forecasts SELECT now() - i * interval '120 seconds', now() - i * interval '120 seconds' + h * interval '10 seconds', "
                    + "'web-' || (i % 3), 'cpu', m, i + h, i + h - 1, CASE WHEN h < 12 THEN i + h + 1 END "
                    + "FROM generate_series(1, 25) i, generate_series(1, 12) h, unnest(ARRAY['ewma', 'arima']) m");
            List<String> before = List.of(one(s, "SELECT count(*) || ' ' || sum(value) FROM metrics"),
                    one(s, "SELECT count(*) || ' ' || sum(score) || ' ' || count(*) FILTER (WHERE is_anomaly) FROM anomaly_scores"),
                    one(s, "SELECT string_agg(host || ' ' || samples, ',' ORDER BY host) FROM (SELECT host, sum(samples) AS samples "
                            + "FROM metrics_1h GROUP BY host) x"),
                    one(s, "SELECT count(*) || ' ' || sum(expected) || ' ' || sum(lower) || ' ' || count(upper) || ' ' "
                            + "|| sum(extract(epoch FROM time - made_at)) FROM forecasts"));
            assertThat(before.get(3)).startsWith("600 ");

            assertThat(Schema.apply(c)).isEqualTo(mode);

            assertThat(one(s, "SELECT relkind::text FROM pg_class WHERE oid = 'metrics'::regclass")).as("metrics is a view now").isEqualTo("v");
            assertThat(one(s, "SELECT relkind::text FROM pg_class WHERE oid = 'forecasts'::regclass")).as("forecasts is a view now").isEqualTo("v");
            assertThat(List.of(one(s, "SELECT count(*) || ' ' || sum(value) FROM metrics"),
                    one(s, "SELECT count(*) || ' ' || sum(score) || ' ' || count(*) FILTER (WHERE is_anomaly) FROM anomaly_scores"),
                    one(s, "SELECT string_agg(host || ' ' || samples, ',' ORDER BY host) FROM (SELECT host, sum(samples) AS samples "
                            + "FROM metrics_1h GROUP BY host) x"),
                    one(s, "SELECT count(*) || ' ' || sum(expected) || ' ' || sum(lower) || ' ' || count(upper) || ' ' "
                            + "|| sum(extract(epoch FROM time - made_at)) FROM forecasts")))
                    .as("every row moved, the rollups read them").isEqualTo(before);
            assertThat(one(s, "SELECT count(*) FROM forecast_sets")).as("a row per forecast").isEqualTo("50");
            assertThat(one(s, "SELECT count(*) FROM series")).isEqualTo("3");
            assertThat(one(s, "SELECT string_agg(name, ',' ORDER BY name) FROM models")).isEqualTo("arima,ewma");
            assertThat(one(s, "SELECT sum(points) FROM scores_1m")).isEqualTo("600");

            // applied again: nothing moves twice
            assertThat(Schema.apply(c)).isEqualTo(mode);
            assertThat(one(s, "SELECT count(*) FROM metric_points")).isEqualTo("300");
            assertThat(one(s, "SELECT count(*) FROM forecast_sets")).isEqualTo("50");
            // the sink writes on
            c.setAutoCommit(false);
            SeriesIds ids = new SeriesIds();
            CopyBuffer out = new CopyBuffer();
            var p = new dev.rtm.host.decode.MetricPoint("web-1", "cpu", System.currentTimeMillis(), 1000);
            MetricsTable.TABLE.append(p, ids, out);
            ids.resolve(c, out);
            out.copyInto(((org.postgresql.PGConnection) c).getCopyAPI(), MetricsTable.TABLE.name(), MetricsTable.TABLE.columns());
            CopyBuffer f = new CopyBuffer();
            ForecastsTable.TABLE.append(new dev.rtm.host.detect.ForecastRow("web-1", "cpu", "ewma", p.timestamp(), 10_000,
                    new double[] {1.5, 1.6}, new double[] {1, 1}, new double[] {2, 2}), ids, f);
            ids.resolve(c, f);
            f.copyInto(((org.postgresql.PGConnection) c).getCopyAPI(), ForecastsTable.TABLE.name(), ForecastsTable.TABLE.columns());
            c.commit();
            assertThat(one(s, "SELECT count(*) FROM series")).as("web-1/cpu kept its id").isEqualTo("3");
            assertThat(one(s, "SELECT count(*) FROM models")).as("ewma kept its id").isEqualTo("2");
            assertThat(one(s, "SELECT count(*) FROM metrics WHERE host = 'web-1'")).isEqualTo("101");
            assertThat(one(s, "SELECT count(*) FROM forecasts WHERE host = 'web-1' AND model = 'ewma'")).isEqualTo("110");
        }
    }

    private static String oldScript(String resource) throws Exception {
        try (InputStream in = SchemaUpgradeTest.class.getResourceAsStream(resource)) {
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
