package dev.rtm.host.sink;

import java.io.IOException;
import java.io.StringReader;
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
 * committed). A flush COPYs the batch into a session temp table and upserts it into the table on
 * its primary key in one transaction. Delivery is at-least-once; the upsert makes it
 * effectively-exactly-once: after a restart the replayed rows overwrite themselves, none is lost
 * or doubled. COPY is used because it is the fastest path in (see the README's figures).
 */
public final class PostgresSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final String user;
    private final String password;
    private final PostgresTable<T> table;
    private final int batchSize;
    private final long flushMillis;

    /**
     * @param url JDBC URL (credentials may be in it)
     * @param user user, or null
     * @param password password, or null; never logged
     */
    public PostgresSink(String url, String user, String password, PostgresTable<T> table, int batchSize, long flushMillis) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.batchSize = batchSize;
        this.flushMillis = flushMillis;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext ctx) {
        return new Writer(ctx);
    }

    private final class Writer implements SinkWriter<T> {
        private final StringBuilder buffer = new StringBuilder(1 << 16);
        private final ProcessingTimeService time;
        private final Counter written;
        private int pending;
        private Connection conn;
        private boolean closed;

        Writer(WriterInitContext ctx) {
            this.time = ctx.getProcessingTimeService();
            this.written = ctx.metricGroup().counter("rowsWritten");
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
            table.append(row, buffer);
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
            try {
                Connection c = connection();
                String stage = "rtm_stage_" + table.name();
                ((PGConnection) c).getCopyAPI().copyIn("COPY " + stage + " (" + table.columns() + ") FROM STDIN",
                        new StringReader(buffer.toString()));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO " + table.name() + " (" + table.columns() + ") SELECT DISTINCT ON ("
                            + table.key() + ") " + table.columns() + " FROM " + stage
                            + (table.newestFirst() == null ? "" : " ORDER BY " + table.key() + ", " + table.newestFirst())
                            + " ON CONFLICT (" + table.key() + ") DO UPDATE SET " + updateSet());
                }
                c.commit();
                written.inc(pending);
                buffer.setLength(0);
                pending = 0;
            } catch (SQLException e) {
                closeQuietly();
                throw new IOException("writing " + pending + " rows to table " + table.name() + " failed: " + e.getMessage(), e);
            }
        }

        private String updateSet() {
            StringBuilder sb = new StringBuilder();
            for (String col : table.updated().split(",\\s*")) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(col).append(" = EXCLUDED.").append(col);
            }
            return sb.toString();
        }

        private Connection connection() throws SQLException {
            if (conn == null || conn.isClosed()) {
                conn = PostgresConnections.open(url, user, password, "rtm-job " + table.name());
                try (Statement s = conn.createStatement()) {
                    s.execute("CREATE TEMP TABLE IF NOT EXISTS rtm_stage_" + table.name() + " (LIKE " + table.name()
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
