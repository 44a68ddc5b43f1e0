package dev.rtm.cli;

import dev.rtm.host.notify.Outbox;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtm alerts list|retry}: what fires, what was sent, and sending dead-lettered notifications again. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alerts and their notifications.",
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Retry.class})
final class AlertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Firing alerts, and the latest notifications with their state per channel.")
    static final class ListAlerts implements Callable<Integer> {
        @Mixin
        HostOptions host = new HostOptions();

        @Mixin
        DatabaseOptions db = new DatabaseOptions();

        @Spec
        CommandSpec spec;
        @Option(names = "--last", defaultValue = "20", paramLabel = "N", description = "notifications to show (default: ${DEFAULT-VALUE})")
        int last;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            try (Connection c = Database.connect(host, db, line -> out.println("rtm alerts: " + line)); Statement s = c.createStatement()) {
                out.println("firing:");
                try (ResultSet rs = s.executeQuery("SELECT f.severity, f.host, f.metric, f.models, f.starts_at, f.score, f.silenced_by "
                        + "FROM alert_events f WHERE f.state = 'firing' AND NOT EXISTS (SELECT 1 FROM alert_events r "
                        + "WHERE r.alert_id = f.alert_id AND r.state = 'resolved') ORDER BY f.starts_at")) {
                    while (rs.next()) {
                        long silenced = rs.getLong(7);
                        out.printf("  %-8s %-20s %-28s %-16s since %s  score %.1f%s%n", rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getDouble(6),
                                rs.wasNull() ? "" : "  (silenced by " + silenced + ")");
                    }
                }
                out.println("notifications (newest first):");
                try (ResultSet rs = s.executeQuery("SELECT created_at, channel, notification_key, status, alert_count, state, attempts, "
                        + "http_status, last_error FROM notifications ORDER BY created_at DESC, notification_key LIMIT " + Math.max(1, last))) {
                    while (rs.next()) {
                        String err = rs.getString(9);
                        out.printf("  %s %-12s %-32s %-8s %d alert(s)  %-7s after %d attempt(s)%s%n", rs.getTimestamp(1).toInstant(),
                                rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6), rs.getInt(7),
                                err == null ? "" : "  last error: " + err);
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Send dead-lettered notifications again (the running job picks them up on its next pass).")
    static final class Retry implements Callable<Integer> {
        @Mixin
        HostOptions host = new HostOptions();

        @Mixin
        DatabaseOptions db = new DatabaseOptions();

        @Spec
        CommandSpec spec;
        @Option(names = "--channel", paramLabel = "NAME", description = "only this channel's")
        String channel;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            try (Connection c = Database.connect(host, db, line -> out.println("rtm alerts: " + line))) {
                int n = Outbox.retryDead(c, channel, Instant.now());
                out.println("rtm alerts: " + n + " dead-lettered notification(s) queued again" + (channel == null ? "" : " on " + channel));
            }
            return 0;
        }
    }
}
