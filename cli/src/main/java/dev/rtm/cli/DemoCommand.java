package dev.rtm.cli;

import dev.rtm.local.LocalServiceException;
import dev.rtm.local.DevReceiver;
import dev.rtm.host.RtmException;
import dev.rtm.agent.Agent;
import dev.rtm.agent.MachineSampler;
import dev.rtm.agent.Publisher;
import dev.rtm.agent.SyntheticHost;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.local.ApicurioRegistry;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.LocalPostgres;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.job.JobSettings;
import dev.rtm.host.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtm demo}: the whole system on this machine, no Docker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on this machine without Docker: a real Kafka broker (KRaft) and schema "
                + "registry (Apicurio) as child processes, PostgreSQL (--pg-url, else postgres.url of the config, else "
                + "RTM_PG_URL, else the machine's own, started if stopped), the streaming job in a local Flink MiniCluster, and the agent publishing this machine's "
                + "metrics plus simulated hosts with injected anomalies. Shows live progress; --duration or Ctrl-C "
                + "stops everything it started."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    HostOptions host = new HostOptions();

    @Mixin
    DatabaseOptions db = new DatabaseOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class, description = "stop after this long (default: until Ctrl-C)")
    Duration duration;

    @Option(names = "--synthetic", defaultValue = "3", paramLabel = "N", description = "simulated hosts (default: ${DEFAULT-VALUE})")
    int synthetic;

    @Option(names = "--interval", defaultValue = "1s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "agent sampling interval (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = {"-d", "--detectors"}, defaultValue = "ewma,arima", split = ",", paramLabel = "NAME",
            description = "detectors to run on every series (default: ${DEFAULT-VALUE})")
    List<String> detectors;

    @Option(names = "--no-receiver", description = "do not start the local notification receiver (by default the demo's "
            + "alerts go to it as Alertmanager webhooks and are printed here)")
    boolean noReceiver;

    /** Seconds between progress lines when the output is not a terminal (a file, a pipe, CI). */
    static final int PLAIN_PROGRESS_EVERY_S = 5;

    /** Whether the output is a terminal: then one progress line is redrawn in place every second. */
    boolean terminal = onTerminal();

    /**
     * Whether this JVM runs on a terminal. Up to Java 21 {@code System.console()} is null when output is
     * redirected; from Java 22 it is not, and {@code Console.isTerminal()} (absent before) says it.
     */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22: a console only on a terminal
        }
    }

    private volatile boolean stop;
    /** Points each model needs per series before it may flag (its {@code warmup} setting), by model. */
    private final Map<String, Integer> warmUp = new TreeMap<>();
    /** When this run's agent started: points at or after it are this run's. */
    private Instant runStart = Instant.now();
    /** Counts already in the database when this run started (the demo's tables persist across runs). */
    private long metricsBefore = -1;
    private final Map<String, long[]> modelsBefore = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RtmConfig hostConfig = host.loadConfig();
        Path pluginsDir = host.resolvePluginsDir(hostConfig);
        String home = host.env.getOrDefault("RTM_HOME", System.getProperty("rtm.home", "cli/target/rtm"));
        Path work = Files.createTempDirectory("rtm-demo-");
        out.println("rtm demo: working dir " + work + " (broker data, registry and logs; removed on exit unless the demo fails)");
        if (terminal) { // log lines would break the progress line redrawn in place
            out.println("rtm demo: logs go to " + LogFile.redirect(dev.rtm.host.job.JobRunner.dataDir().resolve("demo.log"))
                    + " while it runs on this terminal");
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop = true;
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rtm-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        KafkaBroker broker = null;
        ApicurioRegistry registry = null;
        JobClient job = null;
        Agent agent = null;
        Publisher pub = null;
        Thread agentThread = null;
        LocalPostgres.Target pg = null;
        DevReceiver receiver = null;
        int code = 0;
        try {
            say(out, "starting Kafka (KRaft, single node) ...");
            broker = KafkaBroker.start(work.resolve("kafka"));
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq", "anomalies", "alerts");
            say(out, "Kafka ready at " + broker.bootstrap());
            say(out, "starting the schema registry (Apicurio) ...");
            registry = ApicurioRegistry.start(Path.of(home, "apicurio"), work.resolve("registry"));
            say(out, "schema registry ready at " + registry.confluentUrl());
            pg = Database.resolve(host, db, hostConfig, line -> say(out, line));

            StringBuilder yaml = new StringBuilder("detectors:\n");
            detectors.forEach(d -> yaml.append("  ").append(d.trim()).append(": {}\n"));
            // demo timings: notifications within seconds of an anomaly, changes batched for 10 s
            yaml.append("alerts: { group-wait: 5s, group-interval: 10s }\n");
            // checkpoints in the working dir, removed with it: a demo starts afresh every time
            yaml.append("job: { checkpoint-dir: \"").append(work.resolve("checkpoints").toUri()).append("\" }\n");
            if (!noReceiver) {
                receiver = DevReceiver.start(0, line -> {
                    if (terminal) {
                        out.println(); // below the progress line
                    }
                    say(out, line);
                });
                yaml.append("channels:\n  dev-receiver: { type: webhook, url: \"").append(receiver.url()).append("\" }\n");
                say(out, "notifications go to a local receiver at " + receiver.url() + " and are printed here");
            }
            RtmConfig cfg = ConfigLoader.parseText(yaml.toString(), null, host.env);
            try (PluginRegistry check = PluginRegistry.load(pluginsDir)) {
                try (var catalog = dev.rtm.host.detect.DetectorCatalog.build(cfg, check)) { // unknown detectors: refused now
                    for (String d : detectors) {
                        catalog.resolve(d.trim()).map(c -> c.settings().describe().get("warmup"))
                                .filter(w -> w.matches("\\d+")).ifPresent(w -> warmUp.put(d.trim(), Integer.parseInt(w)));
                    }
                }
            }
            JobSettings settings = JobSettings.from(cfg).kafka(broker.bootstrap(), "rtm-demo").registry(registry.confluentUrl())
                    .pluginsDir(pluginsDir).postgres(PostgresSettings.of(cfg.host().postgres(), pg.url(), pg.user(), pg.password()))
                    .build();
            String mode = JobRunner.initDb(settings.postgres());
            say(out, "PostgreSQL schema applied (" + mode + " mode)");
            job = JobRunner.start(cfg, settings, 2);
            say(out, "streaming job " + job.getJobID() + " running (Flink MiniCluster), detectors " + detectors);

            long horizon = duration == null ? 600 : Math.max(60, duration.toMillis() / interval.toMillis());
            List<SyntheticHost> hosts = Agent.syntheticHosts(synthetic, 7, 3, horizon,
                    Math.max(60, Duration.ofMinutes(10).toMillis() / interval.toMillis()), Instant.now(), interval,
                    line -> say(out, "agent: " + line));
            pub = new Publisher(broker.bootstrap(), "metrics", registry.confluentUrl());
            agent = new Agent(pub, new MachineSampler(), hosts, interval, null, null, line -> say(out, "agent: " + line));
            agentThread = new Thread(agent, "rtm-demo-agent");
            runStart = Instant.now();
            agentThread.start();
            say(out, "agent publishing this machine and " + synthetic + " simulated hosts every " + interval.toMillis() + " ms");

            metricsBefore = countMetrics(pg);
            modelsBefore.putAll(countModels(pg));
            long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            long t0 = System.nanoTime();
            long ticks = 0;
            while (!stop && System.nanoTime() < end) {
                JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    throw new RtmException("the streaming job stopped: " + status);
                }
                // on a terminal the line is redrawn every second; elsewhere a plain line every few seconds
                if (terminal || ticks % PLAIN_PROGRESS_EVERY_S == 0) {
                    progress(out, pg, broker, agent, (System.nanoTime() - t0) / 1e9);
                }
                ticks++;
                Thread.sleep(1000);
            }
            progress(out, pg, broker, agent, (System.nanoTime() - t0) / 1e9); // the final figures
            if (terminal) {
                out.println();
            }
        } catch (RtmException | LocalServiceException e) {
            if (terminal) {
                out.println();
            }
            out.println("rtm demo: " + e.getMessage());
            code = Main.USER_ERROR;
        } catch (Exception | Error e) {
            code = Main.INTERNAL_ERROR; // Main reports it; the working dir is kept for its logs
            throw e;
        } finally {
            say(out, "stopping ...");
            if (agent != null) {
                agent.stop();
                agentThread.join(10_000);
            }
            if (pub != null) {
                pub.close(); // before the broker stops: a client left open would warn that it is gone
            }
            if (job != null) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // already finished
                }
            }
            if (registry != null) {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
            if (receiver != null) {
                say(out, receiver.received() + " notification(s) received");
                receiver.close();
            }
            if (code == 0) {
                deleteWorkDir(out, work);
            } else {
                say(out, "working dir " + work + " kept for its logs");
            }
            if (pg != null) {
                summary(out, pg, runStart, Instant.now());
            }
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down
            }
        }
        return code;
    }

    private static void say(PrintWriter out, String line) {
        out.println("rtm demo: " + line);
        out.flush();
    }

    private static long countMetrics(LocalPostgres.Target pg) {
        try (Connection c = connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM metrics")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1; // the next second will tell
        }
    }

    private static Map<String, long[]> countModels(LocalPostgres.Target pg) {
        Map<String, long[]> models = new TreeMap<>();
        try (Connection c = connect(pg); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT model, count(*), count(*) FILTER (WHERE is_anomaly) FROM anomaly_scores GROUP BY model")) {
            while (rs.next()) {
                models.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
        } catch (Exception e) {
            // the next second will tell
        }
        return models;
    }

    private void progress(PrintWriter out, LocalPostgres.Target pg, KafkaBroker broker, Agent agent, double secs) {
        long metrics = Math.max(0, countMetrics(pg) - Math.max(0, metricsBefore));
        Map<String, long[]> models = countModels(pg);
        models.forEach((m, v) -> {
            long[] before = modelsBefore.getOrDefault(m, new long[2]);
            v[0] -= before[0];
            v[1] -= before[1];
        });
        models.keySet().retainAll(detectors.stream().map(String::trim).toList());
        long dlq = 0;
        try (Admin admin = broker.admin()) {
            dlq = admin.listOffsets(Map.of(new TopicPartition("metrics-dlq", 0), OffsetSpec.latest())).all()
                    .get(5, TimeUnit.SECONDS).values().iterator().next().offset();
        } catch (Exception e) {
            // keep the last figure
        }
        Map<String, Long> points = seriesPoints(pg, runStart);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5.0fs  samples %d (%.1f/s)  raw rows %d (this run)",
                secs, agent.samples(), agent.samples() / Math.max(secs, 1e-3), metrics));
        models.forEach((m, v) -> {
            line.append(String.format(Locale.ROOT, "  %s: %d scores, %d anomalies", m, v[0], v[1]));
            Integer need = warmUp.get(m);
            long seen = points.getOrDefault(m, 0L);
            if (need != null && seen < need) { // it cannot flag yet: say so, rather than a silent 0
                line.append(String.format(Locale.ROOT, " (warming up %d/%d points)", seen, need));
            }
        });
        line.append("  dead letters ").append(dlq);
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Per model, the most points any one series has had scored since {@code since} (this run: the job starts cold). */
    private static Map<String, Long> seriesPoints(LocalPostgres.Target pg, Instant since) {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = connect(pg); var s = c.prepareStatement("SELECT model, max(n) FROM (SELECT model, count(*) n "
                + "FROM anomaly_scores WHERE time >= ? GROUP BY model, host, metric) per_series GROUP BY model")) {
            s.setTimestamp(1, java.sql.Timestamp.from(since));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (Exception e) {
            // the next line will tell
        }
        return out;
    }

    private static void deleteWorkDir(PrintWriter out, Path work) {
        try (var files = Files.walk(work)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
            say(out, "removed working dir " + work);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            say(out, "could not remove working dir " + work + ": " + e.getMessage());
        }
    }

    private static Connection connect(LocalPostgres.Target pg) throws java.sql.SQLException {
        return pg.connect(pg.url());
    }

    private static void summary(PrintWriter out, LocalPostgres.Target pg, Instant from, Instant to) {
        // the range the demo ran, rounded up to whole minutes, ending when it stopped: the charts fill their panels
        long minutes = Math.max(1, (Duration.between(from, to).getSeconds() + 59) / 60);
        String range = "--last " + minutes + "m --to " + to.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        out.println();
        out.println("The data stays in PostgreSQL: " + pg);
        out.println("  tables: metrics (raw values), anomaly_scores (one row per point per model), alerts, forecasts,");
        out.println("          alert_events, notifications, notification_attempts (what was told, to whom, how)");
        out.println("  try:    SELECT model, host, metric, time, value, expected, score FROM anomaly_scores");
        out.println("          WHERE is_anomaly ORDER BY time DESC LIMIT 20;");
        out.println("  see:    ./rtm render model-comparison " + range + " --var host=synthetic-1 --var metric=load.1m");
        out.println("          ./rtm render fleet " + range + "     (the Grafana dashboards, drawn to PNG)");
        out.println("          ./rtm alerts list                  (alerts firing, notifications sent)");
        out.flush();
    }
}
