package dev.rtm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    Path tmp;

    @Test
    void aThrowawayClusterServesDatabaseRtmAndSurvivesAStopAndRestart() throws Exception {
        String url;
        try (LocalPostgres.Cluster pg = LocalPostgres.start(tmp.resolve("pg"), false)) {
            url = pg.url();
            assertThat(pg.url()).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/rtm\\?user=rtm");
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
            pg.stop();
            assertThatThrownBy(pg::connect).isInstanceOf(SQLException.class);
            pg.restart();
            try (Connection c = pg.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_database(), current_user, (SELECT v FROM kept)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("rtm");
                assertThat(rs.getString(2)).isEqualTo("rtm");
                assertThat(rs.getInt(3)).isEqualTo(42);
            }
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url)).as("stopped by close").isInstanceOf(SQLException.class);
        assertThat(tmp.resolve("pg/postgres.log")).exists();
    }
}
