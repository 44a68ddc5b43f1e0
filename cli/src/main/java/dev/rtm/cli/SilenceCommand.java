package dev.rtm.cli;

import dev.rtm.host.RtmException;
import dev.rtm.host.config.Glob;
import dev.rtm.host.notify.Silences;
import dev.rtm.host.source.Timestamps;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rtm silence add|list|expire}: silences stored in PostgreSQL; the running job applies them on its next pass. */
@Command(name = "silence", mixinStandardHelpOptions = true,
        description = "Mute alerts of matching series for a while, without restarting the job. A silenced alert is "
                + "recorded (alert_events.silenced_by), not sent.",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class})
final class SilenceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static void say(CommandSpec spec, String line) {
        spec.commandLine().getOut().println("rtm silence: " + line);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a silence; prints its id.")
    static final class Add implements Callable<Integer> {
        @Mixin
        HostOptions host = new HostOptions();

        @Mixin
        DatabaseOptions db = new DatabaseOptions();

        @Spec
        CommandSpec spec;
        @Option(names = "--host", defaultValue = "*", paramLabel = "GLOB", description = "host glob (default: ${DEFAULT-VALUE})")
        String hostGlob;
        @Option(names = "--metric", defaultValue = "*", paramLabel = "GLOB", description = "metric glob (default: ${DEFAULT-VALUE})")
        String metricGlob;
        @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, description = "how long, e.g. 2h (default: 2h unless --until)")
        Duration length;
        @Option(names = "--until", paramLabel = "TIME",
                description = "until when: 2026-12-31T00:00:00 (local time), with a zone (Z, +01:00), or epoch seconds")
        String until;
        @Option(names = {"-m", "--comment"}, defaultValue = "", paramLabel = "TEXT", description = "why")
        String comment;

        @Override
        public Integer call() throws SQLException {
            for (String g : List.of(hostGlob, metricGlob)) {
                try {
                    Glob.compile(g);
                } catch (IllegalArgumentException e) {
                    throw new RtmException(e.getMessage());
                }
            }
            Instant now = Instant.now();
            Instant end;
            if (until != null) {
                try {
                    end = Timestamps.parseLocal(until, ZoneId.systemDefault()); // the forms render --to takes
                } catch (IllegalArgumentException e) {
                    throw new RtmException("--until '" + until + "' is not a time: give 2026-12-31T00:00:00 (local time, "
                            + ZoneId.systemDefault() + "), 2026-12-31T00:00:00Z, +01:00 offsets, or epoch seconds");
                }
                if (!end.isAfter(now)) {
                    throw new RtmException("--until " + until + " is in the past");
                }
            } else {
                end = now.plus(length == null ? Duration.ofHours(2) : length);
            }
            try (Connection c = Database.connect(host, db, line -> say(spec, line))) {
                long id = Silences.add(c, hostGlob, metricGlob, now, end, comment, System.getProperty("user.name", ""));
                say(spec, "silence " + id + " added: host " + hostGlob + ", metric " + metricGlob + " until " + Timestamps.display(end)
                        + " (rtm silence expire " + id + " ends it)");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the silences in force or to come.")
    static final class ListSilences implements Callable<Integer> {
        @Mixin
        HostOptions host = new HostOptions();

        @Mixin
        DatabaseOptions db = new DatabaseOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            try (Connection c = Database.connect(host, db, line -> say(spec, line))) {
                List<Silences.Silence> all = Silences.current(c, now, host.loadConfig().silences());
                if (all.isEmpty()) {
                    say(spec, "no silences");
                }
                out.printf("%-6s %-20s %-24s %-22s %-22s %s%n", "id", "host", "metric", "from", "until", "comment");
                for (Silences.Silence s : all) {
                    out.printf("%-6s %-20s %-24s %-22s %-22s %s%n", s.id() < 0 ? "config" : Long.toString(s.id()), s.host(), s.metric(),
                            s.startsAt().equals(Instant.EPOCH) ? "-" : Timestamps.display(s.startsAt()), Timestamps.display(s.endsAt()), s.comment());
                }
            }
            return 0;
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "End a silence now.")
    static final class Expire implements Callable<Integer> {
        @Mixin
        HostOptions host = new HostOptions();

        @Mixin
        DatabaseOptions db = new DatabaseOptions();

        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID", description = "the silence's id (rtm silence list)")
        long id;

        @Override
        public Integer call() throws SQLException {
            try (Connection c = Database.connect(host, db, line -> say(spec, line))) {
                if (!Silences.expire(c, id, Instant.now())) {
                    throw new RtmException("no silence " + id + " is in force (rtm silence list shows them)");
                }
                say(spec, "silence " + id + " expired");
            }
            return 0;
        }
    }
}
