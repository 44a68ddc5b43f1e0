package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema and the writer/reader roles on a real PostgreSQL: idempotent, and the grants hold. */
class SchemaRolesTest {

    @TempDir
    Path tmp;

    @Test
    void theReaderOnlyReadsAndTheWriterOnlyWrites() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection admin = pg.connect()) {
                assertThat(Schema.apply(admin)).isEqualTo("postgresql");
                Schema.applyRoles(admin, "w-secret'1", "r-secret");
                Schema.apply(admin);
                Schema.applyRoles(admin, "w-secret'1", null); // again: idempotent; reader password kept
                try (Statement s = admin.createStatement()) {
                    s.execute("INSERT INTO metrics VALUES (now(), 'h', 'm', 1)");
                }
            }
            String url = pg.url().replace("?user=rtm", "");
            try (Connection reader = DriverManager.getConnection(url, "rtm_reader", "r-secret"); Statement s = reader.createStatement()) {
                var rs = s.executeQuery("SELECT count(*) FROM metrics");
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                // what the dashboards read besides the tables: the rollups and the mode function
                rs = s.executeQuery("SELECT sum(samples), rtm_use_rollups() FROM metrics_1m");
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getBoolean(2)).as("plain PostgreSQL: the rollups are views, raw rows are read").isFalse();
                assertThatThrownBy(() -> s.execute("INSERT INTO metrics VALUES (now(), 'h', 'm2', 1)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            try (Connection writer = DriverManager.getConnection(url, "rtm_writer", "w-secret'1"); Statement s = writer.createStatement()) {
                // through the view: registers the series and the model, upserts the row
                s.execute("INSERT INTO anomaly_scores VALUES (now(), 'h', 'm', 'ewma', 1, NULL, NULL, NULL, 0, false)");
                // as the sink does: series registered, rows COPYed into the id-keyed tables
                s.execute("INSERT INTO series (host, metric) VALUES ('h', 'm3') ON CONFLICT DO NOTHING");
                s.execute("INSERT INTO metric_points SELECT now(), id, 2 FROM series WHERE host = 'h' AND metric = 'm3'");
                s.execute("INSERT INTO series (host, metric) VALUES ('h', 'm4') ON CONFLICT DO NOTHING");
                s.execute("INSERT INTO forecast_sets SELECT now(), s.id, m.id, interval '1 minute', '{1, 2}', '{0, 1}', '{2, 3}' "
                        + "FROM series s, models m WHERE s.host = 'h' AND s.metric = 'm4' AND m.name = 'ewma'");
                var rs = s.executeQuery("SELECT count(*) FROM forecasts WHERE metric = 'm4'");
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThatThrownBy(() -> s.execute("DROP TABLE metric_points")).hasMessageContaining("must be owner");
                assertThatThrownBy(() -> s.execute("DROP VIEW metrics")).hasMessageContaining("must be owner");
                assertThatThrownBy(() -> s.execute("DELETE FROM metric_points")).hasMessageContaining("permission denied");
            }
        }
    }

    /**
     * Issue 13, security: the job's role cannot change what it does not own. Every table, view,
     * sequence and function of the schema (listed from the catalog, so new ones are covered) is
     * tried with DROP, ALTER and TRUNCATE as {@code rtm_writer}, and so are the schema, new objects
     * and the role's own privileges; each is refused and nothing changed.
     */
    @Test
    void theWriterCannotDropAlterOrTruncateWhatItDoesNotOwn() throws Exception {
        try (PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            List<String> relations = new ArrayList<>();
            List<String> functions = new ArrayList<>();
            String before;
            try (Connection admin = pg.connect(); Statement s = admin.createStatement()) {
                Schema.apply(admin);
                Schema.applyRoles(admin, "w-secret", "r-secret");
                var rs = s.executeQuery("SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') ORDER BY 2");
                while (rs.next()) {
                    relations.add(rs.getString(1) + " " + rs.getString(2));
                }
                rs = s.executeQuery("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        + "WHERE n.nspname = 'public' ORDER BY 1");
                while (rs.next()) {
                    functions.add(rs.getString(1));
                }
                before = schemaFingerprint(s);
            }
            assertThat(relations).as("the schema's tables and views").anyMatch(r -> r.equals("r metric_points")).anyMatch(r -> r.equals("v metrics"))
                    .anyMatch(r -> r.equals("r notifications")).anyMatch(r -> r.endsWith(" metrics_1m"));
            List<String> attempts = new ArrayList<>();
            for (String rel : relations) {
                String name = rel.substring(2);
                switch (rel.charAt(0)) {
                    case 'v' -> attempts.addAll(List.of("DROP VIEW " + name + " CASCADE", "ALTER VIEW " + name + " RENAME TO x_" + name,
                            "CREATE OR REPLACE VIEW " + name + " AS SELECT 1 AS one"));
                    case 'm' -> attempts.addAll(List.of("DROP MATERIALIZED VIEW " + name + " CASCADE",
                            "ALTER MATERIALIZED VIEW " + name + " RENAME TO x_" + name));
                    case 'S' -> attempts.addAll(List.of("DROP SEQUENCE " + name + " CASCADE", "ALTER SEQUENCE " + name + " RESTART WITH 1"));
                    default -> attempts.addAll(List.of("DROP TABLE " + name + " CASCADE", "ALTER TABLE " + name + " ADD COLUMN x int",
                            "ALTER TABLE " + name + " DISABLE ROW LEVEL SECURITY", "ALTER TABLE " + name + " OWNER TO rtm_writer",
                            "TRUNCATE " + name, "DELETE FROM " + name, "CREATE INDEX ON " + name + " ((1))",
                            "CREATE TRIGGER t BEFORE INSERT ON " + name + " FOR EACH ROW EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()"));
                }
            }
            for (String f : functions) {
                attempts.addAll(List.of("DROP FUNCTION " + f + " CASCADE", "ALTER FUNCTION " + f + " RENAME TO x_fn"));
            }
            attempts.addAll(List.of("CREATE TABLE public.x (a int)", "CREATE SCHEMA x", "DROP SCHEMA public CASCADE",
                    "ALTER SCHEMA public RENAME TO x", "ALTER ROLE rtm_writer SUPERUSER", "ALTER ROLE rtm_writer CREATEROLE",
                    "ALTER ROLE rtm_reader PASSWORD 'x'", "GRANT rtm_reader TO rtm_writer", "CREATE ROLE x LOGIN",
                    "CREATE FUNCTION public.x() RETURNS int LANGUAGE sql AS 'SELECT 1'"));
            String url = pg.url().replace("?user=rtm", "");
            List<String> allowed = new ArrayList<>();
            try (Connection writer = DriverManager.getConnection(url, "rtm_writer", "w-secret")) {
                writer.setAutoCommit(false);
                try (Statement s = writer.createStatement()) {
                    for (String sql : attempts) {
                        try {
                            s.execute(sql);
                            allowed.add(sql);
                            writer.rollback();
                        } catch (SQLException e) {
                            writer.rollback();
                            if (!e.getMessage().contains("must be owner") && !e.getMessage().contains("permission denied")
                                    && !e.getMessage().contains("must have admin option") && !e.getMessage().contains("must be superuser")
                                    && !e.getMessage().contains("Only roles with")) {
                                allowed.add(sql + " -> refused for another reason: " + e.getMessage());
                            }
                        }
                    }
                }
            }
            assertThat(allowed).as("statements rtm_writer could run (of " + attempts.size() + " tried)").isEmpty();
            try (Connection admin = pg.connect(); Statement s = admin.createStatement()) {
                assertThat(schemaFingerprint(s)).as("the schema is unchanged").isEqualTo(before);
            }
        }
    }

    private static String schemaFingerprint(Statement s) throws SQLException {
        var rs = s.executeQuery("SELECT string_agg(c.relname || ':' || a.attname || ':' || pg_get_userbyid(c.relowner), ',' "
                + "ORDER BY c.relname, a.attnum) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 WHERE n.nspname = 'public'");
        rs.next();
        return rs.getString(1);
    }
}
