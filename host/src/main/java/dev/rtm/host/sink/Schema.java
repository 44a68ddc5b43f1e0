package dev.rtm.host.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Applies {@code sql/init.sql} (idempotent) and says which mode it got. */
public final class Schema {

    private Schema() {
    }

    /** The schema script shipped in the jar. */
    public static String script() {
        try (InputStream in = Schema.class.getResourceAsStream("/sql/init.sql")) {
            if (in == null) {
                throw new IllegalStateException("sql/init.sql is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies the schema.
     *
     * @return {@code "timescaledb"} or {@code "postgresql"}
     */
    public static String apply(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute(script());
            try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')")) {
                rs.next();
                return rs.getBoolean(1) ? "timescaledb" : "postgresql";
            }
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
