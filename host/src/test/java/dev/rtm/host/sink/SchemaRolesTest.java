package dev.rtm.host.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.host.infra.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
                s.execute("INSERT INTO anomaly_scores VALUES (now(), 'h', 'm', 'ewma', 1, NULL, NULL, NULL, 0, false) "
                        + "ON CONFLICT (host, metric, model, time) DO UPDATE SET score = EXCLUDED.score");
                assertThatThrownBy(() -> s.execute("DROP TABLE metrics")).hasMessageContaining("must be owner");
                assertThatThrownBy(() -> s.execute("DELETE FROM metrics")).hasMessageContaining("permission denied");
            }
        }
    }
}
