package dev.rtm.host.notify;

import dev.rtm.api.Notification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The {@code notifications} outbox: what is due per channel, and each attempt's bookkeeping. */
public final class Outbox {

    /** A notification due on a channel, with the receipt of its group's first message in this incident. */
    record Due(String key, String channel, String groupKey, int episode, int attempts, Instant createdAt, Notification notification) {
    }

    private Outbox() {
    }

    /**
     * The next notification due on {@code channel}: the oldest due one whose group has no earlier
     * pending notification on this channel (so a group's notifications go out in order).
     */
    static Due next(Connection c, String channel, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n.notification_key, n.group_key, n.episode, n.attempts, n.created_at, "
                + "n.payload::text, r.receipt FROM notifications n LEFT JOIN notification_receipts r ON r.group_key = n.group_key "
                + "AND r.channel = n.channel AND r.episode = n.episode WHERE n.channel = ? AND n.state = 'pending' "
                + "AND n.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM notifications p WHERE p.channel = n.channel "
                + "AND p.group_key = n.group_key AND p.state = 'pending' AND p.sequence < n.sequence) "
                + "ORDER BY n.next_attempt_at, n.created_at, n.sequence LIMIT 1")) {
            ps.setString(1, channel);
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Notification n = NotificationJson.read(rs.getString(6)).withPreviousReceipt(rs.getString(7));
                return new Due(rs.getString(1), channel, rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getTimestamp(5).toInstant(), n);
            }
        }
    }

    /**
     * Records one attempt and the notification's new state, in one transaction.
     *
     * @param state pending, sent or dead
     * @param nextAttempt when to try again (pending)
     */
    static void record(Connection c, Due d, Channel.Attempt a, String state, Instant now, Instant nextAttempt, String outcome)
            throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE notifications SET state = ?, attempts = attempts + 1, "
                + "next_attempt_at = ?, sent_at = ?, http_status = ?, last_error = ?, receipt = COALESCE(?, receipt) "
                + "WHERE notification_key = ? AND channel = ?");
             PreparedStatement at = c.prepareStatement("INSERT INTO notification_attempts (notification_key, channel, attempt, at, "
                     + "outcome, http_status, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            up.setString(1, state);
            up.setTimestamp(2, Timestamp.from(nextAttempt == null ? now : nextAttempt));
            up.setTimestamp(3, state.equals("sent") ? Timestamp.from(now) : null);
            if (a.httpStatus() == 0) {
                up.setNull(4, java.sql.Types.INTEGER);
            } else {
                up.setInt(4, a.httpStatus());
            }
            up.setString(5, a.error());
            up.setString(6, a.receipt());
            up.setString(7, d.key());
            up.setString(8, d.channel());
            up.executeUpdate();
            at.setString(1, d.key());
            at.setString(2, d.channel());
            at.setInt(3, d.attempts() + 1);
            at.setTimestamp(4, Timestamp.from(now));
            at.setString(5, outcome);
            if (a.httpStatus() == 0) {
                at.setNull(6, java.sql.Types.INTEGER);
            } else {
                at.setInt(6, a.httpStatus());
            }
            at.setDouble(7, a.latencyMs());
            at.setString(8, a.error());
            at.executeUpdate();
        }
        if (a.receipt() != null && state.equals("sent")) {
            try (PreparedStatement r = c.prepareStatement("INSERT INTO notification_receipts (group_key, channel, episode, receipt) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                r.setString(1, d.groupKey());
                r.setString(2, d.channel());
                r.setInt(3, d.episode());
                r.setString(4, a.receipt());
                r.executeUpdate();
            }
        }
        c.commit();
    }

    /** Sends dead notifications again: all, or those of one channel. Returns how many. */
    public static int retryDead(Connection c, String channel, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET state = 'pending', next_attempt_at = ?, "
                + "created_at = ? WHERE state = 'dead'" + (channel == null ? "" : " AND channel = ?"))) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            if (channel != null) {
                ps.setString(3, channel);
            }
            int n = ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return n;
        }
    }
}
