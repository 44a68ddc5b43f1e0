package dev.rtm.host.notify;

import dev.rtm.host.config.Glob;
import dev.rtm.host.config.RtmConfig.SilenceRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Silences: stored in {@code silences} ({@code rtm silence add|list|expire}) and given in the
 * config. A silenced alert is recorded as such ({@code alert_events.silenced_by}) and not sent.
 */
public final class Silences {

    /**
     * One silence.
     *
     * @param id its row id; negative for a config silence (minus its index, minus one)
     */
    public record Silence(long id, String host, String metric, Instant startsAt, Instant endsAt, String comment, String createdBy) {

        /** Whether it is in force at {@code now}. */
        public boolean active(Instant now) {
            return !now.isBefore(startsAt) && now.isBefore(endsAt);
        }

        /** Whether it covers a series. */
        public boolean matches(String h, String m) {
            return Glob.compile(host).matches(h) && Glob.compile(metric).matches(m);
        }
    }

    private Silences() {
    }

    /** Stores a new silence and returns its id. */
    public static long add(Connection c, String host, String metric, Instant startsAt, Instant endsAt, String comment, String by)
            throws SQLException {
        Glob.compile(host);
        Glob.compile(metric);
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("a silence must end after it starts");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO silences (host, metric, starts_at, ends_at, comment, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, host);
            ps.setString(2, metric);
            ps.setTimestamp(3, Timestamp.from(startsAt));
            ps.setTimestamp(4, Timestamp.from(endsAt));
            ps.setString(5, comment);
            ps.setString(6, by);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Ends a silence now; false when there is no such silence in force. */
    public static boolean expire(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setLong(2, id);
            ps.setTimestamp(3, Timestamp.from(now));
            return ps.executeUpdate() == 1;
        }
    }

    /** Stored silences not yet ended at {@code now}, and the config's. */
    public static List<Silence> current(Connection c, Instant now, List<SilenceRule> fromConfig) throws SQLException {
        List<Silence> out = new ArrayList<>();
        for (SilenceRule r : fromConfig) {
            if (now.isBefore(r.endsAt())) {
                out.add(new Silence(-1L - r.index(), r.host(), r.metric(), r.startsAt(), r.endsAt(), r.comment(), "config"));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, host, metric, starts_at, ends_at, comment, created_by "
                + "FROM silences WHERE ends_at > ? ORDER BY id")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Silence(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    /** The first silence in force at {@code now} that covers the series, or null. */
    public static Silence matching(List<Silence> silences, String host, String metric, Instant now) {
        for (Silence s : silences) {
            if (s.active(now) && s.matches(host, metric)) {
                return s;
            }
        }
        return null;
    }
}
