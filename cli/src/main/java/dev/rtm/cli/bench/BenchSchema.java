package dev.rtm.cli.bench;

import dev.rtm.host.config.HostSettings;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import dev.rtm.local.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A schema of the benchmark's own in PostgreSQL: dropped and made again ({@code sql/init.sql}
 * applied) by {@link #fresh}, so every measurement starts from empty tables. The job writes into it
 * through a URL with {@code currentSchema}.
 */
final class BenchSchema {

    private final LocalPostgres.Target pg;
    private final String url;

    private BenchSchema(LocalPostgres.Target pg, String url) {
        this.pg = pg;
        this.url = url;
    }

    /** Drops {@code name} if it exists, makes it again and applies the storage schema in it. */
    static BenchSchema fresh(LocalPostgres.Target pg, String name) throws SQLException {
        try (Connection c = pg.connect(pg.url()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            s.execute("CREATE SCHEMA " + name);
        }
        BenchSchema schema = new BenchSchema(pg, pg.url() + (pg.url().contains("?") ? "&" : "?") + "currentSchema=" + name);
        JobRunner.initDb(schema.sink());
        return schema;
    }

    /** The JDBC URL of the schema. */
    String url() {
        return url;
    }

    /** The job's default storage settings (postgres.batch-size, postgres.flush-interval-ms). */
    PostgresSettings sink() {
        return PostgresSettings.of(HostSettings.defaults().postgres(), url, pg.user(), pg.password());
    }

    /** The job's default batch size, flushed at least every {@code flushMillis}. */
    PostgresSettings sink(int flushMillis) {
        return sink().withFlushInterval(Duration.ofMillis(flushMillis));
    }

    /**
     * The job a bench runs: {@code cfg}'s detectors reading {@code topic} as {@code group}, storing in
     * this schema, publishing nothing to Kafka, no forecasts, points up to 30 days old accepted.
     */
    JobSettings.Builder job(RtmConfig cfg, String bootstrap, String topic, String group, Path pluginsDir) {
        return JobSettings.from(cfg).kafka(bootstrap, group).metricsTopic(topic).anomaliesTopic(null).pluginsDir(pluginsDir)
                .limits(new JobSettings.InputLimits(Duration.ofMinutes(5), Duration.ofDays(30))).postgres(sink())
                .forecasts(JobSettings.Forecasts.OFF);
    }

    /** A connection to the schema. */
    Connection connect() throws SQLException {
        return pg.connect(url);
    }

    /** The single number a query returns. */
    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Empties the tables a bench job writes (raw, score and forecast rows), so the next drain starts as the first did. */
    void truncate() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE metric_points, score_points, " + dev.rtm.host.sink.ForecastsTable.TABLE.name());
        }
    }

    /** Committed raw and score rows (each value of an ewma run gives one of each); 0 when the query fails. */
    long committedRows() {
        try {
            return count("SELECT (SELECT count(*) FROM metric_points) + (SELECT count(*) FROM score_points)");
        } catch (SQLException e) {
            return 0;
        }
    }
}
