package dev.rtm.host.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rtm.api.Alert;
import dev.rtm.api.Notification;
import dev.rtm.host.alert.AlertEvent;
import dev.rtm.host.config.RtmConfig.SilenceRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager's dispatcher on PostgreSQL: each {@link #tick} takes the new {@code alert_events},
 * drops silenced ones (recorded as silenced), puts the rest into their groups, and turns each group
 * that is due into one notification per channel in the outbox ({@code notifications}), all in one
 * transaction, so an event is grouped once and a notification made once, also across restarts.
 *
 * <p>A group is due: {@code group-wait} after its first change when it has not been notified in
 * this incident; {@code group-interval} after its last notification when it changed since; and
 * {@code repeat-interval} after its last notification when it still has firing alerts; never
 * sooner than {@code group-interval} after its last notification. A notification holds the
 * group's firing alerts and the alerts resolved since the last one that it had told firing; a
 * group whose alerts have all resolved starts a new incident (episode) with its next alert.
 * A silence mutes firing alerts; the resolution of an alert people were told about is still told.
 */
public final class Grouper {

    private static final Logger LOG = LoggerFactory.getLogger(Grouper.class);
    private static final TypeReference<LinkedHashMap<String, GroupedAlert>> ALERTS = new TypeReference<>() { };

    private final NotifySettings settings;
    private final List<String> channels;
    private final Map<String, String> destinations;
    private final List<SilenceRule> configSilences;

    /**
     * @param channels channel name → redacted destination, in config order
     * @param configSilences the config's silences
     */
    public Grouper(NotifySettings settings, Map<String, String> channels, List<SilenceRule> configSilences) {
        this.settings = settings;
        this.channels = List.copyOf(channels.keySet());
        this.destinations = Map.copyOf(channels);
        this.configSilences = List.copyOf(configSilences);
    }

    /** What one tick did. */
    public record Tick(int events, int silenced, int notifications) {
    }

    private static final class Group {
        final String key;
        final Map<String, String> labels;
        final LinkedHashMap<String, GroupedAlert> alerts;
        Instant changedSince;
        Instant lastNotified;
        long sequence;
        int episode;
        boolean isNew;
        boolean dirty;

        Group(String key, Map<String, String> labels, LinkedHashMap<String, GroupedAlert> alerts) {
            this.key = key;
            this.labels = labels;
            this.alerts = alerts;
        }
    }

    /** Runs one tick in its own transaction on {@code c} (auto-commit off). */
    public Tick tick(Connection c, Instant now) throws SQLException {
        try {
            Tick t = run(c, now);
            c.commit();
            return t;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private Tick run(Connection c, Instant now) throws SQLException {
        List<Silences.Silence> silences = Silences.current(c, now, configSilences);
        Map<String, Group> groups = new LinkedHashMap<>();
        int events = 0;
        int silenced = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, state, kind, host, metric, models, severity, value, expected, "
                + "lower, upper, score, starts_at, ends_at, at, rule FROM alert_events WHERE handled_at IS NULL "
                + "ORDER BY at, received_at, alert_id, state LIMIT 5000 FOR UPDATE SKIP LOCKED");
             PreparedStatement done = c.prepareStatement("UPDATE alert_events SET handled_at = ?, group_key = ?, silenced_by = ? "
                     + "WHERE alert_id = ? AND state = ?");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AlertEvent e = event(rs);
                events++;
                Map<String, String> labels = groupLabels(e);
                String gk = groupKey(labels);
                Group g = groups.containsKey(gk) ? groups.get(gk) : load(c, gk, labels);
                groups.put(gk, g);
                Silences.Silence s = Silences.matching(silences, e.host, e.metric, now);
                boolean told = g.alerts.containsKey(e.alertId);
                String groupedInto = gk;
                Long silencedBy = null;
                if (s != null && !(told && !e.firing())) {
                    silencedBy = s.id();
                    groupedInto = null;
                    silenced++;
                    LOG.info("alert {} {} {} on {} silenced by silence {} ({})", e.alertId, e.state, e.metric, e.host, s.id(), s.comment());
                } else if (!e.firing() && !told) {
                    groupedInto = null; // resolved, but its firing was never grouped (silenced then): nothing to tell
                } else {
                    if (g.alerts.isEmpty()) {
                        g.episode++;
                    }
                    g.alerts.put(e.alertId, GroupedAlert.of(e, g.alerts.get(e.alertId)));
                    if (g.changedSince == null) {
                        g.changedSince = now;
                    }
                    g.dirty = true;
                }
                done.setTimestamp(1, Timestamp.from(now));
                done.setString(2, groupedInto);
                if (silencedBy == null) {
                    done.setNull(3, java.sql.Types.BIGINT);
                } else {
                    done.setLong(3, silencedBy);
                }
                done.setString(4, e.alertId);
                done.setString(5, e.state);
                done.addBatch();
            }
            done.executeBatch();
        }
        // groups with news, and firing groups due for a reminder; the rest cannot be due
        try (PreparedStatement ps = c.prepareStatement("SELECT group_key, labels FROM alert_groups WHERE changed_since IS NOT NULL "
                + "OR (alerts <> '{}'::jsonb AND last_notified_at <= ?) FOR UPDATE")) {
            ps.setTimestamp(1, Timestamp.from(now.minus(settings.repeatInterval())));
            try (ResultSet rs = ps.executeQuery()) {
                List<String[]> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(new String[] {rs.getString(1), rs.getString(2)});
                }
                for (String[] k : keys) {
                    if (!groups.containsKey(k[0])) {
                        groups.put(k[0], load(c, k[0], NotificationJson.JSON.readValue(k[1], new TypeReference<TreeMap<String, String>>() { })));
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        int made = 0;
        for (Group g : groups.values()) {
            if (flushIfDue(c, g, now)) {
                made++;
            }
            if (g.dirty) {
                save(c, g);
            }
        }
        return new Tick(events, silenced, made);
    }

    private boolean flushIfDue(Connection c, Group g, Instant now) throws SQLException {
        boolean firing = g.alerts.values().stream().anyMatch(GroupedAlert::firing);
        boolean repeat = false;
        boolean toldBefore = g.alerts.values().stream().anyMatch(GroupedAlert::toldFiring);
        if (g.changedSince != null) {
            // a new incident waits group-wait for company, a told one group-interval; and a group never
            // speaks twice within group-interval, so a flapping series makes no storm
            Instant due = toldBefore ? g.lastNotified.plus(settings.groupInterval()) : g.changedSince.plus(settings.groupWait());
            if (g.lastNotified != null && due.isBefore(g.lastNotified.plus(settings.groupInterval()))) {
                due = g.lastNotified.plus(settings.groupInterval());
            }
            if (now.isBefore(due)) {
                return false;
            }
        } else if (g.lastNotified != null && firing && !now.isBefore(g.lastNotified.plus(settings.repeatInterval()))) {
            repeat = true;
        } else {
            return false;
        }
        List<Alert> alerts = new ArrayList<>();
        for (GroupedAlert a : g.alerts.values()) {
            if (a.firing()) {
                alerts.add(a.toAlert(settings.grafanaUrl()));
            }
        }
        for (GroupedAlert a : g.alerts.values()) {
            if (!a.firing() && a.changed() && a.toldFiring()) {
                alerts.add(a.toAlert(settings.grafanaUrl()));
            }
        }
        if (alerts.isEmpty()) { // only alerts that came and went unseen: nothing to tell
            g.alerts.values().removeIf(a -> !a.firing());
            g.changedSince = null;
            g.dirty = true;
            return false;
        }
        g.sequence++;
        String key = g.key + "#" + g.sequence;
        String url = alerts.isEmpty() ? null : groupLink(g, alerts);
        Notification n = new Notification(key, g.key, g.labels, g.sequence, firing ? Alert.Status.FIRING : Alert.Status.RESOLVED,
                alerts, repeat, url, null);
        String payload = NotificationJson.write(n);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notifications (notification_key, channel, group_key, sequence, "
                + "episode, status, repeat, alert_count, payload, state, created_at, next_attempt_at, destination) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String ch : channels) {
                ps.setString(1, key);
                ps.setString(2, ch);
                ps.setString(3, g.key);
                ps.setLong(4, g.sequence);
                ps.setInt(5, g.episode);
                ps.setString(6, firing ? "firing" : "resolved");
                ps.setBoolean(7, repeat);
                ps.setInt(8, alerts.size());
                ps.setString(9, payload);
                ps.setTimestamp(10, Timestamp.from(now));
                ps.setTimestamp(11, Timestamp.from(now));
                ps.setString(12, destinations.get(ch));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        LOG.info("notification {}: {} {} alert(s){} to {}", key, n.status(), alerts.size(), repeat ? " (repeat)" : "", channels);
        g.alerts.values().removeIf(a -> !a.firing());
        g.alerts.replaceAll((id, a) -> a.told());
        g.changedSince = null;
        g.lastNotified = now;
        g.dirty = true;
        return true;
    }

    private String groupLink(Group g, List<Alert> alerts) {
        Instant start = alerts.stream().map(Alert::startsAt).min(Instant::compareTo).orElseThrow();
        Alert first = alerts.get(0);
        boolean allEnded = alerts.stream().allMatch(a -> a.endsAt() != null);
        Instant end = allEnded ? alerts.stream().map(Alert::endsAt).max(Instant::compareTo).orElseThrow() : null;
        return GroupedAlert.link(settings.grafanaUrl(), first.host(), first.metric(), start, end);
    }

    private Map<String, String> groupLabels(AlertEvent e) {
        Map<String, String> labels = new TreeMap<>();
        for (String l : settings.groupBy()) {
            labels.put(l, switch (l) {
                case "host" -> e.host;
                case "metric" -> e.metric;
                default -> e.kind;
            });
        }
        return labels;
    }

    /** Alertmanager's form: {@code {host="web-1"}}. */
    static String groupKey(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        labels.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        return sb.append('}').toString();
    }

    private static Group load(Connection c, String key, Map<String, String> labels) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT alerts, changed_since, last_notified_at, sequence, episode "
                + "FROM alert_groups WHERE group_key = ? FOR UPDATE")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    Group g = new Group(key, labels, new LinkedHashMap<>());
                    g.isNew = true;
                    return g;
                }
                Group g = new Group(key, labels, NotificationJson.JSON.readValue(rs.getString(1), ALERTS));
                g.changedSince = instant(rs.getTimestamp(2));
                g.lastNotified = instant(rs.getTimestamp(3));
                g.sequence = rs.getLong(4);
                g.episode = rs.getInt(5);
                return g;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("alert_groups.alerts of " + key + " is not valid: " + e.getMessage(), e);
            }
        }
    }

    private static void save(Connection c, Group g) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_groups (group_key, labels, alerts, changed_since, "
                + "last_notified_at, sequence, episode) VALUES (?, ?::jsonb, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (group_key) DO UPDATE SET "
                + "alerts = EXCLUDED.alerts, changed_since = EXCLUDED.changed_since, last_notified_at = EXCLUDED.last_notified_at, "
                + "sequence = EXCLUDED.sequence, episode = EXCLUDED.episode")) {
            ps.setString(1, g.key);
            ps.setString(2, NotificationJson.JSON.writeValueAsString(g.labels));
            ps.setString(3, NotificationJson.JSON.writeValueAsString(g.alerts));
            ps.setTimestamp(4, g.changedSince == null ? null : Timestamp.from(g.changedSince));
            ps.setTimestamp(5, g.lastNotified == null ? null : Timestamp.from(g.lastNotified));
            ps.setLong(6, g.sequence);
            ps.setInt(7, g.episode);
            ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AlertEvent event(ResultSet rs) throws SQLException {
        AlertEvent e = new AlertEvent();
        e.alertId = rs.getString(1);
        e.state = rs.getString(2);
        e.kind = rs.getString(3);
        e.host = rs.getString(4);
        e.metric = rs.getString(5);
        e.models = rs.getString(6);
        e.severity = rs.getString(7);
        e.value = dbl(rs, 8);
        e.expected = dbl(rs, 9);
        e.lower = dbl(rs, 10);
        e.upper = dbl(rs, 11);
        e.score = rs.getDouble(12);
        e.startsAt = rs.getTimestamp(13).getTime();
        Timestamp end = rs.getTimestamp(14);
        e.endsAt = end == null ? 0 : end.getTime();
        e.at = rs.getTimestamp(15).getTime();
        e.rule = rs.getString(16);
        return e;
    }

    private static double dbl(ResultSet rs, int i) throws SQLException {
        double d = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : d;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
