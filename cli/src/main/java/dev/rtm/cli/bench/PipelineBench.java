package dev.rtm.cli.bench;

import dev.rtm.host.config.HostSettings;
import dev.rtm.host.detect.ForecastRow;
import dev.rtm.host.sink.CopyBuffer;
import dev.rtm.host.sink.ForecastsTable;
import dev.rtm.host.sink.MetricsTable;
import dev.rtm.host.sink.ScoresTable;
import dev.rtm.host.sink.SeriesIds;
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
 *   <li><b>Warm-up</b>: the throughput phase's drain, {@code --warm-up} times before it in the same JVM, reported but
 *       not the figure: a running job's steady state is a warm JVM's. In a fresh JVM the first drain ran at 0.45-0.8 of
 *       the later ones' rate, and the JIT compilers were still at work through the second (their threads' CPU: 8.7 s
 *       of the first drain's 18.2 s, 3.9 of the second's 8.7, 2.0 of the third's 6.7). With {@code --hostile}, hostile
 *       records are among the warm-up's samples, so their code is warm too.</li>
 *   <li><b>Throughput</b>: {@code hosts × samples} synthetic samples (5 values each) are loaded into
 *       Kafka first; the job then drains them. Rate = committed rows per second between 10 % and 90 %
 *       of the final count (start-up excluded); every value gives one raw row and one score row per detector.</li>
 *   <li><b>Baseline</b>: the same number of rows COPYed into tables of the same shape (same keys,
 *       same batch size, a commit per batch) in the same database, in the same run: once just before the
 *       measured drain and once just after it, and the figure is the mean of the two (one COPY of a few
 *       seconds moved by a fifth from run to run, on its own).</li>
 *   <li><b>Fuzz</b> ({@code --hostile}, {@code --rounds} times): the same samples with hostile records among them
 *       ({@link HostileRecords}) drained into empty tables, then clean again; good values/s beside them over the clean
 *       drains', and every hostile record checked to be in the dead-letter topic.</li>
 *   <li><b>Latency</b>: at each of the given rates in turn, the agent publishes that many samples/s to a
 *       fresh topic for {@code seconds}; PostgreSQL is polled every 50 ms for newly committed ewma rows
 *       of one series, latency = time seen − sample time (p50, p99, max), counted for the points
 *       produced after the series' first row was seen (the job's start-up is not latency).</li>
 * </ol>
 */
public final class PipelineBench {

    private final Consumer<String> say;

    private int forecastEvery;

    public PipelineBench(Consumer<String> say) {
        this.say = say;
    }

    /**
     * With {@code every} above 0 the drained jobs also write each model's forecast every {@code every} points of a
     * series, {@code job.forecast-horizon}'s default points ahead, and the COPY baseline writes as many forecast
     * rows; the rates stay values/s (rows/s of raw and score rows, forecast rows written beside them).
     */
    public PipelineBench forecastEvery(int every) {
        this.forecastEvery = every;
        return this;
    }

    private JobSettings.Forecasts forecasts() {
        return forecastEvery == 0 ? JobSettings.Forecasts.OFF
                : new JobSettings.Forecasts(forecastEvery, HostSettings.defaults().job().get(HostSettings.Job.FORECAST_HORIZON));
    }

    /**
     * Runs the benchmark.
     *
     * @param rates samples/s of each latency phase (5 values a sample), one after the other
     * @param seconds length of each latency phase, 0 for none
     * @param detectors the detectors every series runs (each gives a score row per value)
     * @param hostilePerGood with more than 0, the fuzz phase: hostile records per good one
     * @param fuzzRounds rounds of the fuzz phase (a fuzzed drain, then a clean one)
     * @param warmUps drains of the same samples before the measured one, not measured
     */
    public BenchResult run(Path work, Path pluginsDir, Map<String, String> env, int hosts, int samples,
                           List<Double> rates, int seconds, int flushMillis, List<String> detectors, double hostilePerGood,
                           int fuzzRounds, int warmUps)
            throws Exception {
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
            RtmConfig cfg = ConfigLoader.parseText(detectorsYaml(detectors) + jobYaml(work.resolve("checkpoints"), ""), null, env);

            // 0. the same drain before, so the measured one runs in a warm JVM (a running job's steady state)
            long values = (long) hosts * samples * 5;
            double cold = 0;
            for (int w = 0; w < warmUps; w++) {
                String topic = "metrics-warm-up-" + w;
                broker.createTopics(2, topic);
                load(say, broker, topic, hosts, samples, hostilePerGood); // with --hostile, their code warms up too
                double rate = drain(schema, cfg, broker, topic, pluginsDir, sink).sustainedRowsPerSecond() / rowsPerValue;
                say.accept(String.format(Locale.ROOT, "warm-up drain %d of %d (not the figure): %.0f values/s", w + 1, warmUps, rate));
                if (w == 0 && hostilePerGood == 0) {
                    cold = rate; // the JVM's first
                }
                schema.truncate();
            }

            // 1. the baseline, once before the measured drain and once after it (below): a single COPY of a
            //    few seconds moved by a fifth between runs on this machine; the figure is their mean
            double copyBefore = copyBaseline(url, pg, values, detectors, "before");

            // 2. load the topic, then measure the job draining it
            load(say, broker, "metrics", hosts, samples, 0);
            DrainMeter.Drain drain = drain(schema, cfg, broker, "metrics", pluginsDir, sink);
            long total = drain.rows();
            double sustained = drain.sustainedRowsPerSecond();

            // 3. the baseline again: COPY of as many rows of the same shapes, same batches
            double copyAfter = copyBaseline(url, pg, values, detectors, "after");
            double copyRate = (copyBefore + copyAfter) / 2;
            say.accept(String.format(Locale.ROOT, "COPY baseline: %.0f rows/s before the measured drain, %.0f after, mean %.0f",
                    copyBefore, copyAfter, copyRate));

            List<BenchResult.Latency> latencies = new ArrayList<>();
            if (seconds > 0) {
                for (int i = 0; i < rates.size(); i++) {
                    String topic = "metrics-live-" + i;
                    broker.createTopics(2, topic);
                    latencies.add(latency(broker, pg, url, schema, sink, cfg, pluginsDir, topic, "live" + i + "-", rates.get(i), seconds,
                            detectors.get(0)));
                }
            }
            BenchResult.Fuzz fuzz = null;
            if (hostilePerGood > 0) {
                fuzz = fuzz(broker, schema, cfg, pluginsDir, sink, hosts, samples, hostilePerGood, fuzzRounds, sustained / rowsPerValue,
                        rowsPerValue);
            }
            return new BenchResult(when, BenchResult.thisMachine(), flushMillis, values, sustained / rowsPerValue, copyRate,
                    sustained / copyRate, rowsPerValue * values - total, latencies, detectors, List.of(), fuzz, cold, forecastEvery);
        }
    }

    /**
     * Loads {@code hosts x samples} synthetic samples into {@code topic}, and {@code hostilePerGood} hostile
     * records per sample interleaved with them.
     *
     * @return hostile records loaded
     */
    static long load(Consumer<String> say, KafkaBroker broker, String topic, int hosts, int samples, double hostilePerGood)
            throws Exception {
        long values = (long) hosts * samples * 5;
        say.accept("loading " + hosts + " hosts x " + samples + " samples (" + values + " values)"
                + (hostilePerGood > 0 ? String.format(Locale.ROOT, " and %.2f hostile records per sample", hostilePerGood) : "")
                + " into Kafka ...");
        long t0 = System.nanoTime();
        HostileRecords hostile;
        try (Publisher pub = new Publisher(broker.bootstrap(), topic, null)) {
            hostile = new HostileRecords(pub);
            List<SyntheticHost> hs = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                hs.add(new SyntheticHost("bench-" + h, h, 1440, 3, samples));
            }
            long start = System.currentTimeMillis() - samples * 1000L;
            double owed = 0;
            for (int i = 0; i < samples; i++) {
                for (SyntheticHost h : hs) {
                    pub.publish(h.name(), start + i * 1000L, h.next(), Map.of());
                    for (owed += hostilePerGood; owed >= 1; owed--) {
                        if (!pub.offer(hostile.next(start + i * 1000L), e -> { })) {
                            throw new IllegalStateException("the broker took no hostile record within the producer's max.block.ms");
                        }
                    }
                }
            }
            pub.flush();
            if (pub.failed() > 0) {
                throw new IllegalStateException(pub.failed() + " records not loaded: " + pub.lastError());
            }
        }
        double produceSecs = (System.nanoTime() - t0) / 1e9;
        say.accept(String.format(Locale.ROOT, "loaded in %.1f s (%.0f samples/s)", produceSecs, hosts * samples / produceSecs));
        return hostile.made();
    }

    /** Runs the bounded job over {@code topic} (loaded before) and measures it draining it into empty tables. */
    private DrainMeter.Drain drain(BenchSchema schema, RtmConfig cfg, KafkaBroker broker, String topic, Path pluginsDir,
                                   PostgresSettings sink) throws Exception {
        JobSettings bounded = schema.job(cfg, broker.bootstrap(), topic, "bench-" + topic, pluginsDir).postgres(sink).forecasts(forecasts())
                .bounded(true).build();
        CpuMeter cpu = CpuMeter.start();
        DrainMeter.Drain drain = DrainMeter.watch(JobRunner.start(cfg, bounded, 2), schema::committedRows);
        CpuMeter.Used used = cpu.used();
        say.accept(String.format(Locale.ROOT, "job committed %d rows in %.1f s (CPU: %.1f s in this JVM, of it the JIT compilers %.1f s; the machine's %d cores "
                + "%.0f%% busy)", drain.rows(), drain.seconds(), used.jvmSeconds(), used.jitSeconds(), Runtime.getRuntime().availableProcessors(),
                100 * used.machineBusy()));
        return drain;
    }

    /**
     * The fuzz phase, {@code rounds} times: the same good samples with hostile records among them drained into
     * empty tables, then a clean drain of them (so fuzzed and clean drains alternate, and the JVM's warming up or
     * the machine's other work favours neither); good values/s beside the fuzz over the clean drains' (the
     * throughput phase's included).
     */
    private BenchResult.Fuzz fuzz(KafkaBroker broker, BenchSchema schema, RtmConfig cfg, Path pluginsDir, PostgresSettings sink,
                                  int hosts, int samples, double hostilePerGood, int rounds, double cleanBefore, int rowsPerValue)
            throws Exception {
        long expectedRows = (long) rowsPerValue * hosts * samples * 5;
        List<Double> fuzzed = new ArrayList<>();
        List<Double> clean = new ArrayList<>(List.of(cleanBefore));
        long hostile = 0;
        long letters = 0;
        long missing = 0;
        for (int round = 0; round < rounds; round++) {
            String fuzzTopic = "metrics-fuzz-" + round;
            String cleanTopic = "metrics-clean-" + round;
            broker.createTopics(2, fuzzTopic, cleanTopic);
            long lettersBefore = deadLetters(broker);
            schema.truncate();
            hostile += load(say, broker, fuzzTopic, hosts, samples, hostilePerGood);
            DrainMeter.Drain f = drain(schema, cfg, broker, fuzzTopic, pluginsDir, sink);
            letters += deadLetters(broker) - lettersBefore;
            missing += expectedRows - f.rows();
            fuzzed.add(f.sustainedRowsPerSecond() / rowsPerValue);
            schema.truncate();
            load(say, broker, cleanTopic, hosts, samples, 0);
            clean.add(drain(schema, cfg, broker, cleanTopic, pluginsDir, sink).sustainedRowsPerSecond() / rowsPerValue);
        }
        return new BenchResult.Fuzz(hostilePerGood, hostile, letters, fuzzed, clean, mean(fuzzed) / mean(clean), missing);
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Records in the dead-letter topic. */
    private static long deadLetters(KafkaBroker broker) throws Exception {
        var tp = new org.apache.kafka.common.TopicPartition("metrics-dlq", 0);
        try (var admin = broker.admin()) {
            return admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).partitionResult(tp).get().offset();
        }
    }

    private static String rates(List<Double> xs) {
        return String.join(", ", xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList());
    }

    /** The config text of a job running {@code detectors} (defaults) on every series. */
    static String detectorsYaml(List<String> detectors) {
        return "detectors: { " + String.join(", ", detectors.stream().map(d -> d + ": {}").toList()) + " }\n";
    }

    /**
     * The {@code job:} section of a bench's config: checkpoints in {@code checkpoints} (in the bench's work dir,
     * deleted after it) and no Prometheus endpoint (a bench runs jobs one after the other, each would want the
     * port the last one's MiniCluster may still hold); {@code more} adds keys, e.g. {@code ", restart-delay-ms: 1000"}.
     */
    static String jobYaml(Path checkpoints, String more) {
        return "job: { checkpoint-dir: \"" + checkpoints.toUri() + "\", metrics-port: \"0\"" + more + " }\n";
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
        report.add(String.format(Locale.ROOT, "COPY of the same rows into the same table shapes, same run: %.0f rows/s (mean of one before and one after)",
                r.copyRowsPerSecond()));
        report.add(String.format(Locale.ROOT, "ratio end to end / COPY: %.2f", r.ratio()));
        if (r.forecastEvery() > 0) {
            report.add("forecasts written every " + r.forecastEvery() + " points of a series by the job and in the COPY (rows/s above: raw "
                    + "and score rows, forecast rows beside them)");
        }
        if (r.coldValuesPerSecond() > 0) {
            report.add(String.format(Locale.ROOT, "the JVM's first drain (warm-up, not the figure above): %.0f values/s",
                    r.coldValuesPerSecond()));
        }
        if (r.rowsMissing() != 0) {
            report.add("WARNING: expected " + rowsPerValue * r.values() + " rows, " + r.rowsMissing() + " missing (negative: doubled)");
        }
        if (r.fuzz() != null) {
            BenchResult.Fuzz f = r.fuzz();
            report.add(String.format(Locale.ROOT, "beside %d hostile records (%.2f per good record, %d kinds, spread over the partitions; "
                    + "%d rounds): good values/s %s; clean drains between them: %s; ratio of the means %.2f", f.hostileRecords(),
                    f.hostilePerGood(), HostileRecords.KINDS, f.fuzzed().size(), rates(f.fuzzed()), rates(f.clean()), f.ratio()));
            report.add(f.deadLetters() >= f.hostileRecords() && f.rowsMissing() == 0
                    ? "every hostile record dead-lettered (" + f.deadLetters() + "), every good row committed"
                    : "WARNING: beside the fuzz " + f.deadLetters() + " dead letters for " + f.hostileRecords() + " hostile records, "
                    + f.rowsMissing() + " good rows missing (negative: doubled)");
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
        JobSettings live = schema.job(cfg, broker.bootstrap(), topic, "bench-" + topic, pluginsDir).postgres(sink).forecasts(forecasts())
                .build();
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

    private double copyBaseline(String url, LocalPostgres.Target pg, long values, List<String> detectors, String when)
            throws Exception {
        String metricsCopy = "copy_metrics_" + when;
        String scoresCopy = "copy_scores_" + when;
        String forecastsCopy = "copy_forecasts_" + when;
        JobSettings.Forecasts fc = forecasts();
        try (Connection c = connect(url, pg)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + metricsCopy + " (LIKE " + MetricsTable.TABLE.name() + " INCLUDING ALL)");
                s.execute("CREATE TABLE " + scoresCopy + " (LIKE " + ScoresTable.TABLE.name() + " INCLUDING ALL)");
                if (fc.every() > 0) {
                    s.execute("CREATE TABLE " + forecastsCopy + " (LIKE " + ForecastsTable.TABLE.name() + " INCLUDING ALL)");
                }
            }
            c.commit();
            var copy = ((PGConnection) c).getCopyAPI();
            // the series' and models' ids, registered before the clock starts (the job registers each once)
            SeriesIds ids = new SeriesIds();
            for (int k = 0; k < 250; k++) {
                ids.series("copy-" + (k % 50), "m" + (k / 50 % 5));
            }
            detectors.forEach(ids::model);
            ids.resolve(c);
            long t0 = System.nanoTime();
            CopyBuffer m = new CopyBuffer();
            CopyBuffer sc = new CopyBuffer();
            CopyBuffer f = new CopyBuffer();
            int batch = 0;
            long forecastRows = 0;
            long base = System.currentTimeMillis() - values * 10;
            for (long i = 0; i < values; i++) {
                String host = "copy-" + (i % 50);
                String metric = "m" + (i / 50 % 5);
                long ts = base + i;
                MetricsTable.TABLE.append(new MetricPoint(host, metric, ts, i * 0.5), ids, m);
                for (String model : detectors) {
                    ScoresTable.TABLE.append(new ScoreRow(host, metric, model, ts, i * 0.5, i * 0.4, i * 0.3, i * 0.6, 1.2, false), ids, sc);
                }
                if (fc.every() > 0 && (i / 250) % fc.every() == 0) { // each series' every fc.every()-th point
                    for (String model : detectors) {
                        double[] e = new double[fc.horizon()];
                        double[] lo = new double[fc.horizon()];
                        double[] hi = new double[fc.horizon()];
                        for (int h = 0; h < e.length; h++) {
                            e[h] = i * 0.4 + h;
                            lo[h] = e[h] - 1;
                            hi[h] = e[h] + 1;
                        }
                        ForecastsTable.TABLE.append(new ForecastRow(host, metric, model, ts, 1000L, e, lo, hi), ids, f);
                        forecastRows++;
                    }
                }
                if (++batch == 5000 || i == values - 1) {
                    m.copyInto(copy, metricsCopy, MetricsTable.TABLE.columns());
                    sc.copyInto(copy, scoresCopy, ScoresTable.TABLE.columns());
                    if (fc.every() > 0) {
                        f.copyInto(copy, forecastsCopy, ForecastsTable.TABLE.columns());
                    }
                    c.commit();
                    m.clear();
                    sc.clear();
                    f.clear();
                    batch = 0;
                }
            }
            long rows = (1 + detectors.size()) * values;
            double rate = rows / ((System.nanoTime() - t0) / 1e9);
            say.accept(String.format(Locale.ROOT, "COPY baseline (%s the measured drain): %d rows%s at %.0f rows/s", when, rows,
                    forecastRows > 0 ? " (and " + forecastRows + " forecasts of " + fc.horizon() + " points beside them, not counted)" : "", rate));
            return rate;
        }
    }

    private static Connection connect(String url, LocalPostgres.Target pg) throws java.sql.SQLException {
        return pg.connect(url);
    }
}
