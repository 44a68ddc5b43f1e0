package dev.rtm.cli.bench;

import dev.rtm.agent.Publisher;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.LocalPostgres;
import org.apache.flink.core.execution.JobClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code rtm bench --alerting}: does a hanging alert channel hold up scoring, and how long does a
 * notification take? On this machine: a real broker, the job in a MiniCluster (ewma, the alert
 * stage, the notify stage with the real {@code webhook} alerter plugin from the plugins dir), and
 * PostgreSQL (schema {@code rtm_bench_alerting}, made afresh for every phase).
 * <ol>
 *   <li><b>Scoring with the channel up vs hanging</b>: {@code hosts × metrics × samples} values with a
 *       spike on every series every {@code spikeEvery} samples are loaded into Kafka once; bounded
 *       jobs ({@link ChannelRun}), each with its own receiver, drain that same topic after a warm-up
 *       drain that is not counted: side by side (a job per receiver at once, measured over the
 *       same window, so a busy machine slows both alike), then one after the other in rounds of
 *       up, hanging, hanging, up (so a steady drift cancels out);
 *       grouping by host with group-wait and group-interval 1 s keeps notifications flowing.
 *       Reported: sustained values/s (10–90 %, {@link DrainMeter}) and the ratio hanging / up.</li>
 *   <li><b>Notification latency</b> at the demo's rate with group-wait 0 s ({@link NotifyLatency}).</li>
 * </ol>
 *
 * @see PipelineBench the same drain measure without alerting, next to a COPY baseline
 */
public final class AlertingBench {

    /**
     * What to run.
     *
     * @param hosts hosts in the throughput phases
     * @param metrics series per host
     * @param samples samples per host (each phase drains hosts × metrics × samples values)
     * @param pairs rounds of two jobs side by side, one with the receiver up, one with it hanging
     * @param rounds rounds of four jobs one after the other: up, hanging, hanging, up
     * @param spikeEvery a series spikes once every this many samples
     * @param attemptTimeout the channel's attempt timeout (a hanging attempt is abandoned after it)
     * @param liveHosts hosts in the latency phase
     * @param liveMetrics series per host in the latency phase
     * @param interval sampling interval in the latency phase
     * @param liveLength length of the latency phase (0: skip it)
     */
    public record Plan(int hosts, int metrics, int samples, int pairs, int rounds, int spikeEvery, Duration attemptTimeout,
                       int liveHosts, int liveMetrics, Duration interval, Duration liveLength) {

        /** About 5–6 minutes on a 2-core machine. */
        public static Plan defaults() {
            return new Plan(50, 10, 1000, 2, 1, 60, Duration.ofSeconds(5), 4, 20, Duration.ofMillis(250), Duration.ofSeconds(90));
        }
    }

    /** The loaded topic every throughput job drains. */
    private static final String TOPIC = "alerting";

    /** Rate limit of the bench's channel: above what the notify loop sends, so the limiter is never the bottleneck. */
    static final int CHANNEL_RATE = 100;

    private final Consumer<String> say;

    public AlertingBench(Consumer<String> say) {
        this.say = say;
    }

    /** The config of a run: ewma, default alert rule, group-by host, one webhook channel to {@code url}. */
    static RtmConfig config(String url, Duration groupWait, Duration attemptTimeout, Path checkpoints, Map<String, String> env) {
        String yaml = "detectors: { ewma: {} }\n"
                + PipelineBench.jobYaml(checkpoints, "")
                + "alerts: { group-by: host, group-wait: " + groupWait.toMillis() + "ms, group-interval: 1s }\n"
                + "channels:\n  bench: { type: webhook, url: \"" + url + "\", attempt-timeout: " + attemptTimeout.toMillis()
                + "ms, rate-per-s: " + CHANNEL_RATE + ", read-timeout-ms: 600000 }\n";
        return ConfigLoader.parseText(yaml, null, env);
    }

    /** Runs the bench and returns the report lines. */
    public List<String> run(Path work, Path pluginsDir, Map<String, String> env, Plan plan) throws Exception {
        List<String> report = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"))) {
            broker.createTopics(2, TOPIC, "alerting-live");
            broker.createTopics(1, "metrics-dlq");
            LocalPostgres.Target pg = LocalPostgres.ensure(env, say);
            long values = load(broker.bootstrap(), plan);

            Function<String, RtmConfig> config = url -> config(url, Duration.ofSeconds(1), plan.attemptTimeout(), work.resolve("checkpoints"), env);
            say.accept("warm-up drain (receiver up; not counted: the first drain of a JVM runs before the JIT has compiled the job) ...");
            ChannelPhase warmUp = sequential(0, false, broker.bootstrap(), pg, pluginsDir, config);
            say.accept(String.format(Locale.ROOT, "warm-up: %.0f values/s", warmUp.valuesPerSecond()));

            List<ChannelPhase> together = new ArrayList<>();
            for (int r = 1; r <= plan.pairs(); r++) {
                boolean hangFirst = r % 2 == 0; // which job starts first alternates
                say.accept("side by side " + r + " of " + plan.pairs() + ": a job with the receiver up and one with it hanging ...");
                try (ChannelRun first = ChannelRun.prepare(10 + 2 * r, hangFirst, "rtm_bench_alerting_a", broker.bootstrap(), TOPIC, pg,
                        pluginsDir, config);
                     ChannelRun second = ChannelRun.prepare(11 + 2 * r, !hangFirst, "rtm_bench_alerting_b", broker.bootstrap(), TOPIC, pg,
                             pluginsDir, config)) {
                    // both submitted at once, so that their drains overlap as much as they can
                    CompletableFuture<JobClient> other = CompletableFuture.supplyAsync(() -> {
                        try {
                            return second.launch();
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    });
                    JobClient one = first.launch();
                    List<DrainMeter.Drain> d = DrainMeter.watchTogether(List.of(one, other.join()),
                            List.of(first::committedRows, second::committedRows));
                    ChannelPhase a = first.finish(d.get(0), null);
                    ChannelPhase b = second.finish(d.get(1), null);
                    together.add(a.hanging() ? b : a);
                    together.add(a.hanging() ? a : b);
                    say.accept(String.format(Locale.ROOT, "side by side %d: up %.0f values/s, hanging %.0f values/s", r,
                            together.get(together.size() - 2).valuesPerSecond(), together.get(together.size() - 1).valuesPerSecond()));
                }
            }

            List<ChannelPhase> phases = new ArrayList<>();
            int count = 4 * plan.rounds();
            for (int n = 1; n <= count; n++) {
                boolean hanging = n % 4 == 2 || n % 4 == 3; // up, hanging, hanging, up: a steady drift cancels out
                say.accept("phase " + n + " of " + count + ": receiver " + (hanging ? "hanging" : "up") + " ...");
                ChannelPhase p = sequential(100 + n, hanging, broker.bootstrap(), pg, pluginsDir, config);
                say.accept(String.format(Locale.ROOT, "phase %d: %.0f values/s, %d notifications, %d sent", n, p.valuesPerSecond(),
                        p.created(), p.sent()));
                phases.add(p);
            }
            for (ChannelPhase p : concat(List.of(warmUp), together, phases)) {
                if (p.drain().rows() != 2 * values) {
                    report.add("WARNING: job " + p.number() + " committed " + p.drain().rows() + " rows, expected " + 2 * values);
                }
            }
            report.addAll(throughputReport(plan, values, pluginsDir, warmUp, together, phases));

            if (!plan.liveLength().isZero()) {
                NotifyLatency.Result r = NotifyLatency.run(broker.bootstrap(), "alerting-live", pg, pluginsDir,
                        url -> config(url, Duration.ZERO, plan.attemptTimeout(), work.resolve("checkpoints"), env), plan.liveHosts(), plan.liveMetrics(),
                        plan.interval(), plan.liveLength(), say);
                report.add("");
                report.addAll(latencyReport(plan, r));
            }
        }
        return report;
    }

    /** One job alone on the machine. */
    private static ChannelPhase sequential(int number, boolean hanging, String bootstrap, LocalPostgres.Target pg, Path pluginsDir,
                                           Function<String, RtmConfig> config) throws Exception {
        try (ChannelRun run = ChannelRun.prepare(number, hanging, "rtm_bench_alerting", bootstrap, TOPIC, pg, pluginsDir, config)) {
            CpuMeter cpu = CpuMeter.start();
            DrainMeter.Drain drain = DrainMeter.watch(run.launch(), run::committedRows);
            return run.finish(drain, cpu.used());
        }
    }

    @SafeVarargs
    private static List<ChannelPhase> concat(List<ChannelPhase>... lists) {
        List<ChannelPhase> all = new ArrayList<>();
        for (List<ChannelPhase> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private long load(String bootstrap, Plan plan) throws Exception {
        long values = (long) plan.hosts() * plan.metrics() * plan.samples();
        say.accept("loading " + plan.hosts() + " hosts x " + plan.metrics() + " metrics x " + plan.samples() + " samples ("
                + values + " values) into Kafka ...");
        SpikyFleet fleet = new SpikyFleet("bench", plan.hosts(), plan.metrics());
        SpikyFleet.Schedule schedule = SpikyFleet.everySeries(plan.spikeEvery(), 60);
        long t0 = System.nanoTime();
        try (Publisher pub = new Publisher(bootstrap, TOPIC, null)) {
            long start = System.currentTimeMillis() - plan.samples() * 1000L;
            for (int i = 0; i < plan.samples(); i++) {
                for (int h = 0; h < plan.hosts(); h++) {
                    pub.publish(fleet.host(h), start + i * 1000L, fleet.sample(h, i, schedule), Map.of());
                }
            }
            pub.flush();
        }
        say.accept(String.format(Locale.ROOT, "loaded in %.1f s", (System.nanoTime() - t0) / 1e9));
        return values;
    }

    private static List<String> throughputReport(Plan plan, long values, Path pluginsDir, ChannelPhase warmUp,
                                                 List<ChannelPhase> together, List<ChannelPhase> phases) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "scoring with alerting (Kafka -> decode -> ewma -> PostgreSQL raw + scores; alert stage; "
                + "notify stage -> webhook plugin from %s -> local receiver)", pluginsDir));
        out.add(String.format(Locale.ROOT, "  data: %d hosts x %d metrics x %d samples = %d values, a %.0f-sigma spike on every series "
                        + "every %d samples; loaded once, drained by every job from offset 0 into a fresh schema (parallelism 2)",
                plan.hosts(), plan.metrics(), plan.samples(), values, SpikyFleet.SPIKE, plan.spikeEvery()));
        out.add(String.format(Locale.ROOT, "  alerts: fire-after 1, resolve-after 10; group-by host, group-wait 1s, group-interval 1s; "
                + "channel attempt-timeout %d ms, rate-per-s %d", plan.attemptTimeout().toMillis(), CHANNEL_RATE));
        out.add(String.format(Locale.ROOT, "  a warm-up drain ran first (receiver up, not counted): %.0f values/s", warmUp.valuesPerSecond()));
        List<Double> ratios = new ArrayList<>();
        if (!together.isEmpty()) {
            out.add("");
            out.add("side by side: two jobs at once, one per receiver, each measured over the same window (all past 10 %, none past "
                    + "90 %), so both see the same machine");
            out.add(header("ROUND"));
            for (int i = 0; i + 1 < together.size(); i += 2) {
                out.add(row(i / 2 + 1, together.get(i)));
                out.add(row(i / 2 + 1, together.get(i + 1)));
                ratios.add(together.get(i + 1).valuesPerSecond() / together.get(i).valuesPerSecond());
            }
        }
        List<Double> neighbours = new ArrayList<>();
        if (!phases.isEmpty()) {
            out.add("");
            out.add("one after the other: each job alone, 10-90 % of its own drain; JVM CPU S: this JVM (job, notify stage, receiver), "
                    + "MACHINE: all cores busy, other processes included");
            out.add(header("PHASE") + String.format(Locale.ROOT, " %10s %8s", "JVM CPU S", "MACHINE"));
            for (ChannelPhase p : phases) {
                out.add(row(p.number() - 100, p) + String.format(Locale.ROOT, " %10.1f %7.0f%%", p.cpu().jvmSeconds(),
                        100 * p.cpu().machineBusy()));
            }
            for (int i = 0; i + 1 < phases.size(); i += 2) { // neighbours: (up, hanging), (hanging, up), ...
                ChannelPhase a = phases.get(i);
                ChannelPhase b = phases.get(i + 1);
                neighbours.add(a.hanging() ? a.valuesPerSecond() / b.valuesPerSecond() : b.valuesPerSecond() / a.valuesPerSecond());
            }
        }
        out.add("");
        if (!ratios.isEmpty()) {
            out.add(String.format(Locale.ROOT, "scoring with the channel hanging / up, side by side: %.2f (mean of the rounds: %s; "
                    + "target >= 0.95)", mean(ratios), list(ratios)));
        }
        if (!neighbours.isEmpty()) {
            out.add(String.format(Locale.ROOT, "scoring with the channel hanging / up, one after the other: %.2f (mean of neighbouring "
                    + "phases: %s)", mean(neighbours), list(neighbours)));
        }
        return out;
    }

    private static String header(String first) {
        return String.format(Locale.ROOT, "%-6s %-9s %9s %6s %13s %13s %6s %9s %10s %9s", first, "RECEIVER", "VALUES/S", "JOB S",
                "ALERT EVENTS", "NOTIFICATIONS", "SENT", "ATTEMPTS", "TIMED OUT", "REQUESTS");
    }

    private static String row(int n, ChannelPhase p) {
        return String.format(Locale.ROOT, "%-6d %-9s %9.0f %6.1f %13d %13d %6d %9d %10d %9d", n, p.hanging() ? "hanging" : "up",
                p.valuesPerSecond(), p.drain().seconds(), p.alertEvents(), p.created(), p.sent(), p.attempts(), p.timedOut(),
                p.received());
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String list(List<Double> xs) {
        return String.join(", ", xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }

    private static List<String> latencyReport(Plan plan, NotifyLatency.Result r) {
        List<String> out = new ArrayList<>();
        double rate = plan.liveHosts() * plan.liveMetrics() * 1000.0 / plan.interval().toMillis();
        out.add(String.format(Locale.ROOT, "notification latency at %.0f values/s (%d hosts x %d metrics every %d ms, %d s), "
                        + "group-wait 0s: spike produced -> webhook payload received", rate, plan.liveHosts(), plan.liveMetrics(),
                plan.interval().toMillis(), plan.liveLength().toSeconds()));
        List<Long> l = r.latenciesMs();
        if (l.isEmpty()) {
            out.add("  no spike was told (" + r.spikes() + " produced, " + r.notifications() + " requests received)");
            return out;
        }
        out.add(String.format(Locale.ROOT, "  p50 %d ms, p99 %d ms, max %d ms; %d of %d spikes told, %d other firing alerts, "
                        + "%d requests received", pct(l, 0.5), pct(l, 0.99), l.get(l.size() - 1), l.size(), r.spikes(),
                r.otherAlerts(), r.notifications()));
        if (!r.toEventMs().isEmpty()) {
            out.add(String.format(Locale.ROOT, "  medians: spike -> alert_events row written %d ms (job + sink flush <= 500 ms); "
                            + "-> notification created %d ms (notify pass); -> received %d ms (delivery)", pct(r.toEventMs(), 0.5),
                    pct(r.toNotificationMs(), 0.5), pct(r.toReceiverMs(), 0.5)));
        }
        out.add("  in production, group-wait (default 30s) adds its 30 s on purpose: the first notification of a group waits "
                + "for other alerts to join it");
        return out;
    }

    /** The q-quantile of sorted values (nearest rank). */
    static long pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * q)));
    }
}
