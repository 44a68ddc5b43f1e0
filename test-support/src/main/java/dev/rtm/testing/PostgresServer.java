package dev.rtm.testing;

import dev.rtm.local.LocalPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL a test uses: a throwaway cluster under the given dir, started by
 * {@link LocalPostgres#start} (the one launcher; TimescaleDB and running as root are explained
 * there), or the database {@code RTM_TEST_PG_URL} names ({@code RTM_TEST_TIMESCALE_URL} for one with
 * TimescaleDB). What this class adds for tests: those two variables, and skipping a TimescaleDB test
 * where the extension is missing.
 */
public final class PostgresServer implements AutoCloseable {

    private final String url;
    private final LocalPostgres.Cluster cluster;

    private PostgresServer(String url, LocalPostgres.Cluster cluster) {
        this.url = url;
        this.cluster = cluster;
    }

    /** Starts a cluster with a database {@code rtm} (user {@code rtm}, trust auth on 127.0.0.1). */
    public static PostgresServer start(Path dir) throws IOException, InterruptedException, SQLException {
        return start(dir, false);
    }

    /**
     * Starts a cluster as above; with {@code timescale}, one that preloads TimescaleDB (or the
     * database {@code RTM_TEST_TIMESCALE_URL} names).
     */
    public static PostgresServer start(Path dir, boolean timescale) throws IOException, InterruptedException, SQLException {
        String external = System.getenv(timescale ? "RTM_TEST_TIMESCALE_URL" : "RTM_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            return new PostgresServer(external, null);
        }
        LocalPostgres.Cluster cluster = LocalPostgres.start(dir, timescale);
        return new PostgresServer(cluster.url(), cluster);
    }

    /**
     * Whether a PostgreSQL with the TimescaleDB extension can be started here (see
     * {@link LocalPostgres}), or {@code RTM_TEST_TIMESCALE_URL} names a database that has it.
     */
    public static boolean timescaleAvailable() throws IOException {
        String external = System.getenv("RTM_TEST_TIMESCALE_URL");
        return external != null && !external.isBlank() || LocalPostgres.timescaleBinDir() != null;
    }

    /**
     * Skips the calling test when TimescaleDB is not available, saying how to build it; with
     * {@code RTM_REQUIRE_TIMESCALE=1} (CI) fails it instead, so a missing build is never a silent skip.
     */
    public static void assumeTimescale() throws IOException {
        if (timescaleAvailable()) {
            return;
        }
        if ("1".equals(System.getenv("RTM_REQUIRE_TIMESCALE"))) {
            throw new AssertionError(LocalPostgres.TIMESCALE_HOW + " (RTM_REQUIRE_TIMESCALE=1: a skip is a failure here)");
        }
        org.junit.jupiter.api.Assumptions.abort(LocalPostgres.TIMESCALE_HOW);
    }

    /** The JDBC URL of database {@code rtm}. */
    public String url() {
        return url;
    }

    /** A new connection. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Stops the server (fast shutdown: open connections are cut), keeping its data; {@link #restart} brings it back. */
    public void stop() throws IOException {
        started().stop();
    }

    /** Starts a stopped server again on the same port and data. */
    public void restart() throws IOException {
        started().restart();
    }

    private LocalPostgres.Cluster started() {
        if (cluster == null) {
            throw new IllegalStateException("only a server this class started can be stopped and restarted, not " + url);
        }
        return cluster;
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
