package dev.rtm.host.sink;

import dev.rtm.host.config.HostSettings;
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

    /**
     * How long data is kept and when it is compressed; used only when TimescaleDB is present
     * (plain PostgreSQL keeps everything). 0 days: never compress / keep forever.
     *
     * @param chunkHours hours of data per hypertable chunk
     * @param compressAfterDays compress raw chunks older than this
     * @param keepRawDays drop raw points, scores and forecasts older than this
     * @param keep1mDays drop 1-minute rollups older than this
     * @param keep1hDays drop 1-hour rollups older than this
     */
    public record Storage(int chunkHours, int compressAfterDays, int keepRawDays, int keep1mDays, int keep1hDays) {
        /** The documented defaults: 1-day chunks, compressed after 7 days, raw 30 days, 1m 90 days, 1h 2 years. */
        public static final Storage DEFAULT = new Storage(24, 7, 30, 90, 730);

        /** From the validated {@code postgres} section. */
        public static Storage of(dev.rtm.api.Settings pg) {
            return new Storage(pg.get(HostSettings.Postgres.CHUNK_HOURS), pg.get(HostSettings.Postgres.COMPRESS_AFTER),
                    pg.get(HostSettings.Postgres.KEEP_RAW), pg.get(HostSettings.Postgres.KEEP_1M), pg.get(HostSettings.Postgres.KEEP_1H));
        }

        /** What {@code rtm init-db} says it applied in {@code mode}. */
        public String describe(String mode) {
            if (!mode.equals("timescaledb")) {
                return "plain PostgreSQL mode: TimescaleDB is not available, so no compression, retention or continuous "
                        + "aggregates (rollups are views over the raw tables)";
            }
            return "TimescaleDB mode: hypertables (" + chunkHours + " h chunks), compression after " + days(compressAfterDays, "never")
                    + ", raw data kept " + days(keepRawDays, "forever") + ", continuous aggregates metrics_1m/scores_1m kept "
                    + days(keep1mDays, "forever") + " and metrics_1h/scores_1h kept " + days(keep1hDays, "forever");
        }

        private static String days(int d, String zero) {
            return d == 0 ? zero : d + " days";
        }
    }

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
        return apply(c, Storage.DEFAULT);
    }

    /**
     * Applies the schema with these storage settings (passed to the script as {@code rtm.*}
     * session settings).
     *
     * @return {@code "timescaledb"} or {@code "postgresql"}
     */
    public static String apply(Connection c, Storage storage) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            try (var set = c.prepareStatement("SELECT set_config('rtm.chunk_interval', ?, false), set_config('rtm.compress_after', ?, false), "
                    + "set_config('rtm.keep_raw', ?, false), set_config('rtm.keep_1m', ?, false), set_config('rtm.keep_1h', ?, false)")) {
                set.setString(1, storage.chunkHours() + " hours");
                set.setString(2, storage.compressAfterDays() + " days");
                set.setString(3, storage.keepRawDays() + " days");
                set.setString(4, storage.keep1mDays() + " days");
                set.setString(5, storage.keep1hDays() + " days");
                set.execute();
            }
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
