package dev.rtm.host.sink;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * A batch of rows in PostgreSQL's binary COPY format: each value as the server stores it (a double
 * as its 8 IEEE bytes, a timestamp as microseconds since 2000, text as UTF-8), so neither side
 * formats or parses numbers and dates. Measured with {@code rtm bench}: the text format's
 * {@code Instant.toString} and {@code Double.toString} were two fifths of the detect task's CPU.
 * Text needs no escaping here: a tab or a backslash in a host name is just a byte.
 *
 * <p>A table writes a row as {@link #row} with its field count, then one call per column in COPY
 * order. Not thread-safe: one per sink writer.
 */
public final class CopyBuffer {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, // flags: no OIDs
        0, 0, 0, 0}; // no header extension
    private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix milliseconds. */
    private static final long PG_EPOCH_MILLIS = 946_684_800_000L;

    /** PostgreSQL's type oid of double precision, named in a binary array. */
    private static final int FLOAT8_OID = 701;

    private byte[] buf = new byte[1 << 16];
    private int len;

    /** Bytes written since the last {@link #clear}. */
    public int size() {
        return len;
    }

    public void clear() {
        len = 0;
    }

    /** Starts a row of {@code fields} columns. */
    public CopyBuffer row(int fields) {
        ensure(2);
        putShort(fields);
        return this;
    }

    public CopyBuffer text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + b.length);
        putInt(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /** A double precision value; NaN and the infinities are stored as such. */
    public CopyBuffer float8(double d) {
        ensure(12);
        putInt(8);
        putLong(Double.doubleToRawLongBits(d));
        return this;
    }

    /** A double precision value, NaN as NULL (no value yet). */
    public CopyBuffer float8OrNull(double d) {
        return Double.isNaN(d) ? nul() : float8(d);
    }

    /**
     * The id of the series {@code host}/{@code metric} (int4) from the writer's dictionary; an id
     * it does not know yet is a placeholder that {@link SeriesIds#resolve(java.sql.Connection, CopyBuffer)}
     * fills in before the batch is sent.
     */
    public CopyBuffer series(SeriesIds ids, String host, String metric) {
        return int4(ids.series(host, metric, len + 4));
    }

    /** The id of the model {@code name} (int2), as {@link #series}. */
    public CopyBuffer model(SeriesIds ids, String name) {
        return int2(ids.model(name, len + 4));
    }

    /** Overwrites the int4 value at {@code at} (a placeholder written earlier). */
    void patchInt4(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /** Overwrites the int2 value at {@code at}. */
    void patchInt2(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    public CopyBuffer int2(int v) {
        ensure(6);
        putInt(2);
        putShort(v);
        return this;
    }

    public CopyBuffer int4(int v) {
        ensure(8);
        putInt(4);
        putInt(v);
        return this;
    }

    public CopyBuffer bool(boolean v) {
        ensure(5);
        putInt(1);
        buf[len++] = (byte) (v ? 1 : 0);
        return this;
    }

    /** A timestamptz from epoch milliseconds. */
    public CopyBuffer time(long epochMillis) {
        ensure(12);
        putInt(8);
        putLong(Math.multiplyExact(epochMillis - PG_EPOCH_MILLIS, 1000L));
        return this;
    }

    /** An interval of {@code millis} milliseconds (microseconds, days, months). */
    public CopyBuffer interval(long millis) {
        ensure(20);
        putInt(16);
        putLong(Math.multiplyExact(millis, 1000L));
        putInt(0);
        putInt(0);
        return this;
    }

    /**
     * A one-dimensional double precision[] (PostgreSQL's binary array: dimensions, null flag, element
     * type, length, lower bound 1, then the elements). Elements that mean "none" are NULL: with
     * {@code keepInfinities} NaN only (as {@link #float8OrNull}), else every non-finite value.
     */
    public CopyBuffer float8Array(double[] v, boolean keepInfinities) {
        int nulls = 0;
        for (double d : v) {
            if (none(d, keepInfinities)) {
                nulls++;
            }
        }
        int size = 20 + 4 * v.length + 8 * (v.length - nulls);
        ensure(4 + size);
        putInt(size);
        putInt(1);
        putInt(nulls > 0 ? 1 : 0);
        putInt(FLOAT8_OID);
        putInt(v.length);
        putInt(1);
        for (double d : v) {
            if (none(d, keepInfinities)) {
                putInt(-1);
            } else {
                putInt(8);
                putLong(Double.doubleToRawLongBits(d));
            }
        }
        return this;
    }

    private static boolean none(double d, boolean keepInfinities) {
        return keepInfinities ? Double.isNaN(d) : !Double.isFinite(d);
    }

    /** A timestamptz from epoch milliseconds, 0 as NULL (not yet: an alert still firing). */
    public CopyBuffer timeOrNull(long epochMillis) {
        return epochMillis == 0 ? nul() : time(epochMillis);
    }

    public CopyBuffer nul() {
        ensure(4);
        putInt(-1);
        return this;
    }

    /** The statement that reads what {@link #copyInto} sends. */
    private static String statement(String table, String columns) {
        return "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)";
    }

    /** COPYs the rows into {@code table}'s {@code columns} (in the caller's transaction); returns the rows. */
    public long copyInto(CopyManager copy, String table, String columns) throws SQLException {
        CopyIn in = copy.copyIn(statement(table, columns));
        try {
            in.writeToCopy(HEADER, 0, HEADER.length);
            in.writeToCopy(buf, 0, len);
            in.writeToCopy(TRAILER, 0, TRAILER.length);
            return in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel); // the connection is likely gone; the first error says why
                }
            }
            throw e;
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    private void putShort(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
