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
        return resource("init.sql");
    }

    private static String resource(String name) {
        try (InputStream in = Schema.class.getResourceAsStream("/sql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sql/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates (or updates) the roles {@code rtm_writer} and {@code rtm_reader} with their grants, and
     * sets the password of each role whose password is given (null: left as it is). Needs a user
     * allowed to create roles. Passwords never appear in messages.
     */
    public static void applyRoles(Connection c, String writerPassword, String readerPassword) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute(resource("roles.sql"));
            for (String[] role : new String[][] {{"rtm_writer", writerPassword}, {"rtm_reader", readerPassword}}) {
                if (role[1] != null && !role[1].isEmpty()) {
                    // ALTER ROLE takes no bind parameters: quote the literal the way PostgreSQL does
                    s.execute("ALTER ROLE " + role[0] + " PASSWORD '" + role[1].replace("'", "''") + "'");
                }
            }
        } catch (SQLException e) {
            throw new SQLException("creating the rtm roles failed: " + scrub(e.getMessage(), writerPassword, readerPassword), e.getSQLState());
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String scrub(String message, String... secrets) {
        String m = message == null ? "" : message;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                m = m.replace(secret, "******");
            }
        }
        return m;
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
