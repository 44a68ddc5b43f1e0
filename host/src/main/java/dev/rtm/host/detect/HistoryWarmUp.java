package dev.rtm.host.detect;

import dev.rtm.host.sink.PostgresConnections;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm-up from history ({@code job.warm-up-points}): when a series has no state in the job (a new
 * job, or one started without its checkpoint), its detectors are first fed the last N points the
 * {@code metrics} table holds for it, older than the point at hand, so they score from that point on
 * as if they had run all along instead of starting cold.
 *
 * <p>One indexed query per series, the first time the series is seen (the primary key
 * {@code (host, metric, time)} serves it backwards). The database being slow or away never stops
 * detection: a query has a time limit, a failure is logged, and then the series starts cold; after a
 * failure no query is tried for {@link #BACKOFF_MILLIS}, so a database outage costs one timeout, not
 * one per series.
 */
public final class HistoryWarmUp implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryWarmUp.class);

    /** No query is tried for this long after one failed. */
    static final long BACKOFF_MILLIS = 60_000;
    /** A query taking longer is abandoned and the series starts cold. */
    static final int QUERY_TIMEOUT_S = 5;

    private static final String SQL = "SELECT time, value FROM metrics WHERE host = ? AND metric = ? AND time < ? "
            + "ORDER BY time DESC LIMIT ?";

    private final String url;
    private final String user;
    private final String password;
    private final int points;

    private transient Connection connection;
    private transient PreparedStatement query;
    private transient long quietUntil;
    private transient long seriesWarmed;
    private transient long pointsRead;

    /**
     * @param url the database the job writes {@code metrics} to
     * @param user user, or null
     * @param password password, or null; never logged
     * @param points the most points read per series (at least 1)
     */
    public HistoryWarmUp(String url, String user, String password, int points) {
        if (points < 1) {
            throw new IllegalArgumentException("warm-up points must be at least 1");
        }
        this.url = url;
        this.user = user;
        this.password = password;
        this.points = points;
    }

    /** The most points read per series. */
    public int points() {
        return points;
    }

    /** Stored points of one series, oldest first. */
    public record Points(long[] times, double[] values) {
        static final Points NONE = new Points(new long[0], new double[0]);

        /** How many. */
        public int size() {
            return times.length;
        }
    }

    /**
     * The last {@link #points()} stored points of the series older than {@code before}, oldest
     * first; none when the series has none or the database cannot be read (logged).
     */
    public Points history(String host, String metric, long before) {
        long now = System.currentTimeMillis();
        if (now < quietUntil) {
            return Points.NONE;
        }
        try {
            if (query == null) {
                connection = PostgresConnections.open(url, user, password, "rtm warm-up");
                connection.setReadOnly(true);
                query = connection.prepareStatement(SQL);
                query.setQueryTimeout(QUERY_TIMEOUT_S);
            }
            query.setString(1, host);
            query.setString(2, metric);
            query.setTimestamp(3, new Timestamp(before));
            query.setInt(4, points);
            List<Long> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) { // newest first
                    times.add(rs.getTimestamp(1).getTime());
                    values.add(rs.getDouble(2));
                }
            }
            connection.commit();
            int n = times.size();
            Points out = new Points(new long[n], new double[n]);
            for (int i = 0; i < n; i++) {
                out.times()[i] = times.get(n - 1 - i);
                out.values()[i] = values.get(n - 1 - i);
            }
            if (n > 0) {
                seriesWarmed++;
                pointsRead += n;
            }
            return out;
        } catch (SQLException e) {
            quietUntil = now + BACKOFF_MILLIS;
            LOG.warn("warm-up from history: cannot read the last points of {}/{} ({}); series seen in the next {} s "
                    + "start cold", host, metric, e.getMessage(), BACKOFF_MILLIS / 1000);
            close();
            return Points.NONE;
        }
    }

    /** Series primed so far by this instance. */
    public long seriesWarmed() {
        return seriesWarmed;
    }

    /** Points read so far by this instance. */
    public long pointsRead() {
        return pointsRead;
    }

    /** Closes the connection, if one is open. */
    public void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failure: nothing left to do
        } finally {
            connection = null;
            query = null;
        }
    }
}
