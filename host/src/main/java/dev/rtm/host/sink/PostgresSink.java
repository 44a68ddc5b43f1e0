package dev.rtm.host.sink;

import dev.rtm.host.retry.Outage;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.postgresql.PGConnection;

/**
 * Writes rows to a PostgreSQL/TimescaleDB table, idempotently.
 *
 * <p>Rows are buffered and flushed when {@code batchSize} rows are waiting, every
 * {@code flushMillis}, and at every checkpoint (so a checkpoint completes only after its rows are
 * committed). The raw and score tables are keyed by integer ids from the series dictionary
 * ({@link SeriesIds}): a row of a series the writer has not met yet gets a placeholder, and the
 * flush registers its series in one round trip and fills in the id before the COPY. A flush COPYs the batch (binary format, {@link CopyBuffer}) straight into the table in one transaction; the primary
 * key refuses a batch holding a row that is already stored (a replay after a restart), and that
 * batch, and the next {@value #UPSERT_BATCHES_AFTER_CONFLICT}, are written the slower way: COPY into a
 * session temp table and {@code INSERT … ON CONFLICT DO UPDATE}. Delivery is at-least-once; the key
 * makes it effectively-exactly-once: replayed rows overwrite themselves, none is lost or doubled.
 * Tables whose rows change ({@link PostgresTable#newestFirst}) always take the upsert. COPY is used
 * because it is the fastest path in (see the README's figures); the upsert path costs about twice.
 *
 * <p><b>Database outages</b>: a flush that fails because the database cannot be reached (SQL state
 * class 08, or 57P01–57P03: shut down, restarting) keeps its rows and tries again with a growing
 * pause (0.5 s doubling to 15 s, {@link Outage}), holding the task meanwhile: the job backs up to the Kafka source,
 * which stops reading, so nothing is lost and nothing piles up in memory; checkpoints wait (the job
 * tolerates their timing out). It says so in the log at once, then every 30 s, and when the rows
 * are in. After {@code outageMillis} (0: never) it gives up and fails the job, for Flink's restart
 * strategy. Any other SQL error (a refused password, a missing table) fails at once, naming it.
 *
 * <p><b>Metrics</b>: {@code rowsWritten}, {@code batchesReplayed} (batches that met stored rows), {@code postgresOutageMillis} (how long the current outage
 * has lasted, 0 when none) and {@code batchLatencyMillis}, a histogram of the time one batch's COPY,
 * upsert and commit took (the attempt that succeeded; waits during an outage are not in it).
 */
public final class PostgresSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final String user;
    private final String password;
    private final PostgresTable<T> table;
    private final int batchSize;
    private final long flushMillis;
    private final long outageMillis;

    private static final String UNIQUE_VIOLATION = "23505";
    /** After a batch met stored rows (a replay), how many batches go straight to the upsert. */
    static final int UPSERT_BATCHES_AFTER_CONFLICT = 20;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresSink.class);

    /** A sink that waits out outages for as long as they last. */
    public PostgresSink(String url, String user, String password, PostgresTable<T> table, int batchSize, long flushMillis) {
        this(url, user, password, table, batchSize, flushMillis, 0);
    }

    /**
     * @param url JDBC URL (credentials may be in it)
     * @param user user, or null
     * @param password password, or null; never logged
     */
    public PostgresSink(String url, String user, String password, PostgresTable<T> table, int batchSize, long flushMillis,
                        long outageMillis) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.batchSize = batchSize;
        this.flushMillis = flushMillis;
        this.outageMillis = outageMillis;
    }

    /** Whether a failure means the database could not be reached (worth waiting for) rather than a refusal. */
    static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String st = s.getSQLState();
                if (st.startsWith("08") || st.equals("57P01") || st.equals("57P02") || st.equals("57P03")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException || t instanceof java.io.EOFException
                    || t instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
    }

    /** The session temp table a batch is COPYed into on its way to the upsert. */
    static String stage(PostgresTable<?> table) {
        return "rtm_stage_" + table.name();
    }

    /**
     * The upsert from the stage: a key's newest row of the batch ({@link PostgresTable#newestFirst}),
     * every non-key column updated on conflict.
     */
    static String upsert(PostgresTable<?> table) {
        java.util.List<String> key = java.util.Arrays.asList(table.key().split(",\\s*"));
        StringBuilder set = new StringBuilder();
        for (String col : table.columns().split(",\\s*")) {
            if (!key.contains(col)) {
                set.append(set.length() > 0 ? ", " : "").append(col).append(" = EXCLUDED.").append(col);
            }
        }
        return "INSERT INTO " + table.name() + " (" + table.columns() + ") SELECT DISTINCT ON (" + table.key() + ") "
                + table.columns() + " FROM " + stage(table)
                + (table.newestFirst() == null ? "" : " ORDER BY " + table.key() + ", " + table.newestFirst())
                + " ON CONFLICT (" + table.key() + ") DO UPDATE SET " + set;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext ctx) {
        return new Writer(ctx);
    }

    private final class Writer implements SinkWriter<T> {
        private final CopyBuffer buffer = new CopyBuffer();
        private final SeriesIds ids = new SeriesIds();
        private final ProcessingTimeService time;
        private final Counter written;
        private final org.apache.flink.metrics.Histogram batchLatency;
        private final java.util.concurrent.atomic.AtomicLong outageGauge = new java.util.concurrent.atomic.AtomicLong();
        private final Outage outage = new Outage();
        private final String upsert = upsert(table);
        private final Counter conflicts;
        private int pending;
        /** Batches still to write by upsert after one met rows that were already stored. */
        private int upsertBatchesLeft;
        private Connection conn;
        private boolean closed;

        Writer(WriterInitContext ctx) {
            this.time = ctx.getProcessingTimeService();
            this.written = ctx.metricGroup().counter("rowsWritten");
            this.conflicts = ctx.metricGroup().counter("batchesReplayed");
            ctx.metricGroup().gauge("postgresOutageMillis", outageGauge::get);
            this.batchLatency = ctx.metricGroup().histogram("batchLatencyMillis",
                    new org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram(256));
            schedule();
        }

        private void schedule() {
            time.registerTimer(time.getCurrentProcessingTime() + flushMillis, t -> {
                if (!closed) {
                    flushBuffer();
                    schedule();
                }
            });
        }

        @Override
        public void write(T row, Context context) throws IOException {
            table.append(row, ids, buffer);
            if (++pending >= batchSize) {
                flushBuffer();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushBuffer();
        }

        private void flushBuffer() throws IOException {
            if (pending == 0) {
                return;
            }
            while (true) {
                try {
                    copyAndUpsert();
                    if (outage.ongoing()) {
                        LOG.info("PostgreSQL reachable again: table {} caught up after {} s", table.name(), outage.end() / 1000);
                        outageGauge.set(0);
                    }
                    return;
                } catch (SQLException e) {
                    closeQuietly();
                    if (!unreachable(e)) {
                        throw new IOException("writing " + pending + " rows to table " + table.name() + " failed: " + e.getMessage(), e);
                    }
                    if (outage.failed()) {
                        if (outage.first()) {
                            LOG.warn("PostgreSQL unreachable ({}): holding {} rows for table {} and trying again; the job waits "
                                    + "and Kafka keeps the data", e.getMessage(), pending, table.name());
                        } else {
                            LOG.warn("PostgreSQL still unreachable after {} s ({}); table {} holds {} rows", outage.millis() / 1000,
                                    e.getMessage(), table.name(), pending);
                        }
                    }
                    long lasted = outage.millis();
                    outageGauge.set(lasted);
                    if (outageMillis > 0 && lasted >= outageMillis) {
                        throw new IOException("PostgreSQL unreachable for " + lasted / 1000 + " s (postgres.outage-tolerance-s): "
                                + "giving " + pending + " rows for table " + table.name() + " back to the restart strategy: " + e.getMessage(), e);
                    }
                    try {
                        outage.pause();
                    } catch (InterruptedException stop) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("stopped while waiting for PostgreSQL");
                    }
                }
            }
        }

        private void copyAndUpsert() throws SQLException {
            long start = System.nanoTime();
            Connection c = connection();
            if (ids.missing()) {
                ids.resolve(c, buffer);
            }
            boolean direct = table.newestFirst() == null && upsertBatchesLeft == 0;
            if (direct) {
                try {
                    copy(c, table.name());
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // rows that are already there: a replay after a restart; upsert this batch and the next few
                    c.rollback();
                    direct = false;
                    conflicts.inc();
                    upsertBatchesLeft = UPSERT_BATCHES_AFTER_CONFLICT;
                }
            } else if (upsertBatchesLeft > 0) {
                upsertBatchesLeft--;
            }
            if (!direct) {
                copy(c, stage(table));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(upsert);
                }
            }
            c.commit();
            batchLatency.update((System.nanoTime() - start) / 1_000_000);
            written.inc(pending);
            buffer.clear();
            pending = 0;
        }

        private void copy(Connection c, String into) throws SQLException {
            buffer.copyInto(((PGConnection) c).getCopyAPI(), into, table.columns());
        }

        private Connection connection() throws SQLException {
            if (conn == null || conn.isClosed()) {
                conn = PostgresConnections.open(url, user, password, "rtm-job " + table.name());
                try (Statement s = conn.createStatement()) {
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage(table) + " (LIKE " + table.name()
                            + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
                }
                conn.commit();
            }
            return conn;
        }

        private void closeQuietly() {
            try {
                if (conn != null) {
                    conn.close();
                }
            } catch (SQLException ignored) {
                // reconnect on the next flush
            }
            conn = null;
        }

        @Override
        public void close() {
            closed = true;
            closeQuietly();
        }
    }
}
