package dev.rtm.host.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** Where the job's PostgreSQL connections are opened (the sinks, the notify stage): one way, auto-commit off. */
public final class PostgresConnections {

    private PostgresConnections() {
    }

    /**
     * Opens a connection with auto-commit off.
     *
     * @param user user, or null (it may be in the URL)
     * @param password password, or null; never logged
     * @param applicationName shown in {@code pg_stat_activity}
     */
    public static Connection open(String url, String user, String password, String applicationName) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", applicationName);
        // the driver directly, not DriverManager: on a cluster the driver is visible through both
        // Flink's and the job's (child-first) class loaders, and DriverManager refuses that
        Connection c = new org.postgresql.Driver().connect(url, p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        c.setAutoCommit(false);
        return c;
    }
}
