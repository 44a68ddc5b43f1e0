package dev.rtm.cli.bench;

import dev.rtm.host.sink.CopyBuffer;
import dev.rtm.host.sink.MetricsTable;
import dev.rtm.host.sink.ScoresTable;
import dev.rtm.agent.Agent;
import dev.rtm.agent.Publisher;
import dev.rtm.agent.SyntheticHost;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.LocalPostgres;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import dev.rtm.host.decode.MetricPoint;
import dev.rtm.host.detect.ScoreRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.postgresql.PGConnection;

/**
 * End-to-end benchmark on this machine: a real broker, the job in a MiniCluster (ewma, or the
 * detectors asked for: every series runs each of them), and
 * PostgreSQL (its own schema {@code rtm_bench}, dropped and made again at every run).
 * <ol>
 *   <li><b>Throughput</b>: {@code hosts × samples} synthetic samples (5 values each) are loaded into
 *       Kafka first; the job then drains them. Rate = committed rows per second between 10 % and 90 %
 *       of the final count (start-up excluded); every value gives one raw row and one score row per detector.</li>
 *   <li><b>Baseline</b>: the same number of rows COPYed into tables of the same shape (same keys,
 *       same batch size, a commit per batch) in the same database, in the same run.</li>
 *   <li><b>Latency</b>: at each of the given rates in turn, the agent publishes that many samples/s to a
 *       fresh topic for {@code seconds}; PostgreSQL is polled every 50 ms for newly committed ewma rows
 *       of one series, latency = time seen − sample time (p50, p99, max), counted for the points
 *       produced after the series' first row was seen (the job's start-up is not latency).</li>
 * </ol>
 */
public final class PipelineBench {

    private final Consumer<String> say;

    public PipelineBench(Consumer<String> say) {
        this.say = say;
    }

    /**
     * Runs the benchmark.
     *
     * @param rates samples/s of each latency phase (5 values a sample), one after the other
     * @param seconds length of each latency phase, 0 for none
     * @param detectors the detectors every series runs (each gives a score row per value)
     */
    public BenchResult run(Path work, Path pluginsDir, Map<String, String> env, int hosts, int samples,
                           List<Double> rates, int seconds, int flushMillis, List<String> detectors) throws Exception {
        requirePlugins(pluginsDir, detectors);
        int rowsPerValue = 1 + detectors.size();
        String when = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"))) {
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            LocalPostgres.Target pg = LocalPostgres.ensure(env, say);
            BenchSchema schema = BenchSchema.fresh(pg, "rtm_bench");
            String url = schema.url();
            PostgresSettings sink = schema.sink(flushMillis);
            RtmConfig cfg = ConfigLoader.parseText(detectorsYaml(detectors), null, env);

            // 1. load the topic, then measure the job draining it
            long values = (long) hosts * samples * 5;
            say.accept("loading " + hosts + " hosts x " + samples + " samples (" + values + " values) into Kafka ...");
            long t0 = System.nanoTime();
            try (Publisher pub = new Publisher(broker.bootstrap(), "metrics", null)) {
                List<SyntheticHost> hs = new ArrayList<>();
                for (int h = 0; h < hosts; h++) {
                    hs.add(new SyntheticHost("bench-" + h, h, 1440, 3, samples));
                }
                long start = System.currentTimeMillis() - samples * 1000L;
                for (int i = 0; i < samples; i++) {
                    for (SyntheticHost h : hs) {
                        pub.publish(h.name(), start + i * 1000L, h.next(), Map.of());
                    }
                }
                pub.flush();
            }
            double produceSecs = (System.nanoTime() - t0) / 1e9;
            say.accept(String.format(Locale.ROOT, "loaded in %.1f s (%.0f samples/s)", produceSecs, hosts * samples / produceSecs));
            JobSettings bounded = schema.job(cfg, broker.bootstrap(), "metrics", "bench", pluginsDir).postgres(sink).bounded(true).build();
            DrainMeter.Drain drain = DrainMeter.watch(JobRunner.start(cfg, bounded, 2), schema::committedRows);
            long total = drain.rows();
            double sustained = drain.sustainedRowsPerSecond();
            double wall = drain.seconds();
            say.accept(String.format(Locale.ROOT, "job committed %d rows in %.1f s", total, wall));

            // 2. the baseline: COPY of as many rows of the same shapes, same batches
            double copyRate = copyBaseline(url, pg, values, detectors);

            List<BenchResult.Latency> latencies = new ArrayList<>();
            if (seconds > 0) {
                for (int i = 0; i < rates.size(); i++) {
                    String topic = "metrics-live-" + i;
                    broker.createTopics(2, topic);
                    latencies.add(latency(broker, pg, url, schema, sink, cfg, pluginsDir, topic, "live" + i + "-", rates.get(i), seconds,
                            detectors.get(0)));
                }
            }
            return new BenchResult(when, BenchResult.thisMachine(), flushMillis, values, sustained / rowsPerValue, copyRate,
                    sustained / copyRate, rowsPerValue * values - total, latencies, detectors, List.of());
        }
    }

    /** The config text of a job running {@code detectors} (defaults) on every series. */
    static String detectorsYaml(List<String> detectors) {
        return "detectors: { " + String.join(", ", detectors.stream().map(d -> d + ": {}").toList()) + " }\n";
    }

    /** Refuses detectors that no plugin in {@code pluginsDir} provides, naming them and the dir. */
    public static void requirePlugins(Path pluginsDir, List<String> detectors) {
        try (dev.rtm.host.plugin.PluginRegistry registry = dev.rtm.host.plugin.PluginRegistry.load(pluginsDir)) {
            List<String> missing = detectors.stream().filter(d -> registry.detector(d).isEmpty()).toList();
            if (!missing.isEmpty()) {
                throw new dev.rtm.host.RtmException("--detectors: no plugin in " + pluginsDir + " provides " + String.join(", ", missing)
                        + " (it has: " + String.join(", ", registry.detectorNames()) + "); build the distribution (./mvnw install) "
                        + "or put the plugin there");
            }
        }
    }

    /** The report lines of a result. */
    public static List<String> report(BenchResult r) {
        List<String> report = new ArrayList<>();
        int rowsPerValue = 1 + r.detectors().size();
        report.add(String.format(Locale.ROOT, "end to end (Kafka -> decode -> %s -> PostgreSQL raw + scores): "
                + "%.0f values/s = %.0f rows/s committed (sustained, 10-90%%)", String.join("+", r.detectors()),
                r.endToEndValuesPerSecond(), rowsPerValue * r.endToEndValuesPerSecond()));
        report.add(String.format(Locale.ROOT, "COPY of the same rows into the same table shapes, same run: %.0f rows/s", r.copyRowsPerSecond()));
        report.add(String.format(Locale.ROOT, "ratio end to end / COPY: %.2f", r.ratio()));
        if (r.rowsMissing() != 0) {
            report.add("WARNING: expected " + rowsPerValue * r.values() + " rows, " + r.rowsMissing() + " missing (negative: doubled)");
        }
        for (BenchResult.Latency l : r.latency()) {
            report.add(l.samples() == 0
                    ? String.format(Locale.ROOT, "latency at %.0f values/s: no rows seen", l.valuesPerSecond())
                    : String.format(Locale.ROOT, "produce -> committed " + r.detectors().get(0) + " row latency at %.0f values/s: p50 %d ms, p99 %d ms, "
                    + "max %d ms (%d points of one series; 50 ms polling; sink flush interval %d ms)",
                    l.valuesPerSecond(), l.p50Ms(), l.p99Ms(), l.maxMs(), l.samples(), r.flushMillis()));
        }
        return report;
    }

    private BenchResult.Latency latency(KafkaBroker broker, LocalPostgres.Target pg, String url, BenchSchema schema,
                                        PostgresSettings sink, RtmConfig cfg, Path pluginsDir, String topic, String prefix,
                                        double rate, int seconds, String model) throws Exception {
        JobSettings live = schema.job(cfg, broker.bootstrap(), topic, "bench-" + topic, pluginsDir).postgres(sink).build();
        JobClient job = JobRunner.start(cfg, live, 2);
        List<SyntheticHost> hs = new ArrayList<>();
        for (int h = 0; h < 20; h++) {
            hs.add(new SyntheticHost(prefix + h, h, 1440, 0, 1));
        }
        List<Long> latencies = new ArrayList<>();
        try (Publisher pub = new Publisher(broker.bootstrap(), topic, null)) {
            Agent agent = new Agent(pub, null, hs, Duration.ofHours(1), rate, Duration.ofSeconds(seconds), say);
            Thread t = new Thread(agent, "bench-agent");
            say.accept(String.format(Locale.ROOT, "latency: publishing %.0f samples/s (%.0f values/s) for %d s ...", rate, rate * 5, seconds));
            t.start();
            try (Connection c = connect(url, pg);
                 var ps = c.prepareStatement("SELECT (extract(epoch FROM time) * 1000)::bigint FROM anomaly_scores "
                         + "WHERE host = ? AND metric = 'cpu.total_pct' AND model = ? AND time > to_timestamp(? / 1000.0) ORDER BY time")) {
                long seen = 0;
                long steadyFrom = Long.MAX_VALUE; // the job's start-up is not latency: count points produced once rows flow
                long end = System.nanoTime() + Duration.ofSeconds(seconds + 5).toNanos();
                while (System.nanoTime() < end) {
                    ps.setString(1, prefix + "0");
                    ps.setString(2, model);
                    ps.setLong(3, seen);
                    long now = System.currentTimeMillis();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long ts = rs.getLong(1);
                            if (steadyFrom == Long.MAX_VALUE) {
                                steadyFrom = now;
                            }
                            if (ts >= steadyFrom) {
                                latencies.add(now - ts);
                            }
                            seen = Math.max(seen, ts);
                        }
                    }
                    Thread.sleep(50); // polling period: latency resolution
                }
            }
            t.join();
        } finally {
            job.cancel().get();
        }
        if (latencies.isEmpty()) {
            return new BenchResult.Latency(rate * 5, 0, 0, 0, 0);
        }
        latencies.sort(null);
        return new BenchResult.Latency(rate * 5, latencies.size(), latencies.get(latencies.size() / 2),
                latencies.get((int) (latencies.size() * 0.99)), latencies.get(latencies.size() - 1));
    }

    private double copyBaseline(String url, LocalPostgres.Target pg, long values, List<String> detectors) throws Exception {
        try (Connection c = connect(url, pg)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE copy_metrics (LIKE metrics INCLUDING ALL)");
                s.execute("CREATE TABLE copy_scores (LIKE anomaly_scores INCLUDING ALL)");
            }
            c.commit();
            var copy = ((PGConnection) c).getCopyAPI();
            long t0 = System.nanoTime();
            CopyBuffer m = new CopyBuffer();
            CopyBuffer sc = new CopyBuffer();
            int batch = 0;
            long base = System.currentTimeMillis() - values * 10;
            for (long i = 0; i < values; i++) {
                String host = "copy-" + (i % 50);
                String metric = "m" + (i / 50 % 5);
                long ts = base + i;
                MetricsTable.TABLE.append(new MetricPoint(host, metric, ts, i * 0.5), m);
                for (String model : detectors) {
                    ScoresTable.TABLE.append(new ScoreRow(host, metric, model, ts, i * 0.5, i * 0.4, i * 0.3, i * 0.6, 1.2, false), sc);
                }
                if (++batch == 5000 || i == values - 1) {
                    m.copyInto(copy, "copy_metrics", MetricsTable.TABLE.columns());
                    sc.copyInto(copy, "copy_scores", ScoresTable.TABLE.columns());
                    c.commit();
                    m.clear();
                    sc.clear();
                    batch = 0;
                }
            }
            long rows = (1 + detectors.size()) * values;
            double rate = rows / ((System.nanoTime() - t0) / 1e9);
            say.accept(String.format(Locale.ROOT, "COPY baseline: %d rows at %.0f rows/s", rows, rate));
            return rate;
        }
    }

    private static Connection connect(String url, LocalPostgres.Target pg) throws java.sql.SQLException {
        return pg.connect(url);
    }
}
