package dev.rtm.cli.bench;

import dev.rtm.agent.Publisher;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.LocalPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;

/**
 * How the job scales with the number of live series ({@code rtm bench --series}): for each count,
 * that many distinct series ({@value #METRICS_PER_HOST} metrics a host) with a few points each are
 * loaded into a fresh topic, and the job (Kafka -> decode -> the detectors -> PostgreSQL, in a
 * MiniCluster in this JVM) drains them and keeps running, its state live. Per count:
 * <ul>
 *   <li><b>values/s</b> end to end, committed rows per second between 10 % and 90 % of the count;</li>
 *   <li><b>checkpoint bytes</b>: the size on disk of the first checkpoint triggered after every row
 *       was committed (so it holds every series' state), all files of its {@code chk-N} dir;</li>
 *   <li><b>heap bytes</b>: heap used after a full GC ({@code System.gc()}) with the job running,
 *       minus the same just before the job started. It includes what a running job costs whatever
 *       its series (the MiniCluster, the Kafka consumer, the sink); the difference between two
 *       counts is the cost of the series alone.</li>
 * </ul>
 */
public final class SeriesBench {

    /** Metrics of each simulated host: a count of series is {@code hosts x} this (the last host may have fewer). */
    static final int METRICS_PER_HOST = 10;

    /** A count whose committed rows have not grown for this long is given up (the missing rows are reported). */
    private static final Duration STALL = Duration.ofSeconds(90);

    private final Consumer<String> say;

    public SeriesBench(Consumer<String> say) {
        this.say = say;
    }

    /**
     * Runs one job per count, one after the other, each on its own topic and a fresh schema.
     *
     * @param counts series counts
     * @param points points per series
     * @param detectors the detectors every series runs
     */
    public BenchResult run(Path work, Path pluginsDir, Map<String, String> env, List<Integer> counts, int points,
                           List<String> detectors, int flushMillis) throws Exception {
        PipelineBench.requirePlugins(pluginsDir, detectors);
        String when = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        List<BenchResult.Scale> scales = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"))) {
            broker.createTopics(1, "metrics-dlq");
            LocalPostgres.Target pg = LocalPostgres.ensure(env, say);
            for (int i = 0; i < counts.size(); i++) {
                scales.add(one(broker, pg, work.resolve("checkpoints-" + i), pluginsDir, env, "metrics-series-" + i, counts.get(i),
                        points, detectors, flushMillis));
            }
        }
        return new BenchResult(when, BenchResult.thisMachine(), flushMillis, 0, 0, 0, 0, 0, List.of(), detectors, scales);
    }

    private BenchResult.Scale one(KafkaBroker broker, LocalPostgres.Target pg, Path checkpoints, Path pluginsDir, Map<String, String> env,
                                  String topic, int series, int points, List<String> detectors, int flushMillis) throws Exception {
        broker.createTopics(2, topic);
        BenchSchema schema = BenchSchema.fresh(pg, "rtm_bench");
        PostgresSettings sink = schema.sink(flushMillis);
        RtmConfig cfg = ConfigLoader.parseText(PipelineBench.detectorsYaml(detectors)
                + PipelineBench.jobYaml(checkpoints, ""), null, env);
        long values = (long) series * points;
        long expected = values * (1 + detectors.size());
        load(broker.bootstrap(), topic, series, points);

        long heapBefore = heapAfterGc();
        Map<String, Long> classesBefore = classHistogram();
        JobSettings live = schema.job(cfg, broker.bootstrap(), topic, "bench-" + topic, pluginsDir).postgres(sink).build();
        JobClient job = JobRunner.start(cfg, live, 2);
        try {
            DrainMeter.Drain drain = DrainMeter.watchUntil(job, schema::committedRows, expected, STALL);
            say.accept(String.format(Locale.ROOT, "%d series: job committed %d of %d rows in %.1f s; waiting for the next checkpoint ...",
                    series, drain.rows(), expected, drain.seconds()));
            Path checkpoint = nextCheckpoint(checkpoints.resolve(job.getJobID().toHexString()), Duration.ofMinutes(5));
            long checkpointBytes = bytes(checkpoint);
            Map<String, Long> byOperator = bytesByOperator(checkpoint);
            long heap = heapAfterGc() - heapBefore;
            Map<String, Long> grown = grown(classesBefore, classHistogram(), 12);
            double rowsPerSecond = drain.sustainedRowsPerSecond();
            boolean shortRun = !(rowsPerSecond > 0);
            if (shortRun) {
                rowsPerSecond = drain.rows() / drain.seconds();
            }
            BenchResult.Scale s = new BenchResult.Scale(series, points, rowsPerSecond / (1 + detectors.size()), shortRun,
                    expected - drain.rows(), checkpointBytes, byOperator, heap, grown);
            say.accept(String.format(Locale.ROOT, "%d series: %.0f values/s, checkpoint %d B (%.0f B/series), heap +%d B (%.0f B/series)",
                    series, s.valuesPerSecond(), checkpointBytes, s.checkpointBytesPerSeries(), heap, s.heapBytesPerSeries()));
            return s;
        } finally {
            job.cancel().get();
            released(job, heapBefore);
            // once the job has ended: a checkpoint in flight at the cancel still writes into the dir
            deleteTree(checkpoints);
        }
    }

    /**
     * Waits until the cancelled job has ended and its memory is released (heap after a full GC back
     * within {@value #RELEASED_BYTES} bytes of {@code heapBefore}): the local cluster shuts down after
     * the job, and the next count's baseline must not hold this one's state. Says so when it is not.
     */
    private void released(JobClient job, long heapBefore) throws InterruptedException {
        try {
            job.getJobExecutionResult().get(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException cancelled) {
            // a cancelled job ends with a failure; a timeout is reported through the heap below
        }
        try { // the local cluster shuts down on its own threads
            dev.rtm.local.Poll.until("the cancelled job's memory released", Duration.ofSeconds(60),
                    () -> heapAfterGc() - heapBefore <= RELEASED_BYTES);
        } catch (IllegalStateException notReleased) {
            say.accept(String.format(Locale.ROOT, "the job's memory was not released 60 s after it was cancelled (heap +%d B): the next "
                    + "count's heap figures include it", heapAfterGc() - heapBefore));
        }
    }

    /** Heap a cancelled job may leave behind and still count as released. */
    private static final long RELEASED_BYTES = 16L << 20;

    /** Loads {@code points} points of each of {@code series} series, in time order, hosts of {@value #METRICS_PER_HOST} metrics. */
    private void load(String bootstrap, String topic, int series, int points) throws IOException {
        int hosts = (series + METRICS_PER_HOST - 1) / METRICS_PER_HOST;
        say.accept(String.format(Locale.ROOT, "%d series (%d hosts x %d metrics) x %d points: loading %d values into Kafka ...",
                series, hosts, METRICS_PER_HOST, points, (long) series * points));
        long t0 = System.nanoTime();
        java.util.Random random = new java.util.Random(series);
        long start = System.currentTimeMillis() - points * 1000L;
        try (Publisher pub = new Publisher(bootstrap, topic, null)) {
            for (int p = 0; p < points; p++) {
                for (int h = 0; h < hosts; h++) {
                    int metrics = Math.min(METRICS_PER_HOST, series - h * METRICS_PER_HOST);
                    Map<String, Double> sample = new LinkedHashMap<>();
                    for (int m = 0; m < metrics; m++) {
                        sample.put("m" + m, 50 + 10 * m + random.nextGaussian());
                    }
                    pub.publish("series-" + h, start + p * 1000L, sample, Map.of());
                }
            }
            pub.flush();
        }
        say.accept(String.format(Locale.ROOT, "loaded in %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    /**
     * The first checkpoint of the job (checkpoint dir {@code jobDir}) triggered after this call, once
     * its {@code _metadata} is written. Checkpoints whose dir exists already may have been triggered
     * before the last point went through, so they are not taken. Only the newest checkpoint is kept:
     * it is deleted when the next completes, so it is copied to {@code jobDir/measured} first.
     */
    static Path nextCheckpoint(Path jobDir, Duration timeout) throws Exception {
        int after = checkpointIds(jobDir, false).stream().mapToInt(Integer::intValue).max().orElse(0);
        Path copy = jobDir.resolveSibling(jobDir.getFileName() + "-measured");
        return dev.rtm.local.Poll.until("a checkpoint in " + jobDir + " triggered after checkpoint " + after, timeout, () -> {
            for (int id : checkpointIds(jobDir, true)) {
                if (id > after) {
                    // a newer checkpoint may replace this one while it is copied: the copy then fails
                    // or the dir is gone, and the next read takes the newer one
                    deleteTree(copy);
                    Path chk = jobDir.resolve("chk-" + id);
                    try (Stream<Path> files = Files.walk(chk)) {
                        for (Path f : files.toList()) {
                            Files.copy(f, copy.resolve(chk.relativize(f).toString()));
                        }
                    }
                    if (Files.isDirectory(chk)) {
                        return copy;
                    }
                }
            }
            return null;
        }, p -> true);
    }

    /** Bytes of all files under {@code dir}. */
    private static long bytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Each operator's state size in the checkpoint {@code chk}, by its uid (its id when the metadata has no uid). */
    static Map<String, Long> bytesByOperator(Path chk) throws IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(chk.resolve("_metadata")))) {
            var metadata = org.apache.flink.runtime.checkpoint.Checkpoints.loadCheckpointMetadata(in, SeriesBench.class.getClassLoader(),
                    chk.toString());
            for (var op : metadata.getOperatorStates()) {
                if (op.getStateSize() > 0) {
                    out.merge(op.getOperatorUid().orElse(op.getOperatorID().toString()), op.getStateSize(), Long::sum);
                }
            }
        }
        return out;
    }

    /** Ids of the {@code chk-N} dirs in {@code jobDir}; only completed ones (with {@code _metadata}) if asked. */
    private static List<Integer> checkpointIds(Path jobDir, boolean completed) throws IOException {
        if (!Files.isDirectory(jobDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> !completed || Files.isRegularFile(d.resolve("_metadata")))
                    .map(d -> Integer.parseInt(d.getFileName().toString().substring(4))).sorted().toList();
        }
    }

    /** Heap used after a full collection. */
    static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Bytes of the live instances of each class (the JVM's class histogram, taken after a full GC). */
    static Map<String, Long> classHistogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> bytes = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) { // "1:  instances  bytes  class (module)"
                bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
            }
        }
        return bytes;
    }

    /** The {@code top} classes whose bytes grew most from {@code before} to {@code after}, largest first. */
    static Map<String, Long> grown(Map<String, Long> before, Map<String, Long> after, int top) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Deletes {@code dir} and all it holds (nothing when it does not exist). */
    public static void deleteTree(Path dir) throws IOException {
        org.apache.flink.util.FileUtils.deleteDirectory(dir.toFile());
    }

    /** The report lines of a {@code --series} result; the heap per added series is the difference to the previous count. */
    public static List<String> report(BenchResult r) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "Kafka -> decode -> %s -> PostgreSQL, one job per count of live series:",
                String.join("+", r.detectors())));
        out.add(String.format(Locale.ROOT, "%10s %7s %10s %16s %14s %20s", "series", "points", "values/s", "checkpoint B/s.", "heap B/s.",
                "heap B/added series"));
        BenchResult.Scale previous = null;
        for (BenchResult.Scale s : r.series()) {
            String marginal = previous == null || s.series() == previous.series() ? "-"
                    : String.format(Locale.ROOT, "%.0f", (double) (s.heapBytes() - previous.heapBytes()) / (s.series() - previous.series()));
            out.add(String.format(Locale.ROOT, "%10d %7d %10s %16.1f %14.0f %20s", s.series(), s.points(),
                    String.format(Locale.ROOT, "%.0f", s.valuesPerSecond()) + (s.startUpIncluded() ? "*" : ""),
                    s.checkpointBytesPerSeries(), s.heapBytesPerSeries(), marginal));
            if (!s.checkpointBytesByOperator().isEmpty()) {
                out.add("           checkpoint B/series by operator: " + String.join(", ", s.checkpointBytesByOperator().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), (double) e.getValue() / s.series())).toList()));
            }
            if (!s.heapBytesByClass().isEmpty()) {
                out.add("           heap B/series by class (most grown): " + String.join(", ", s.heapBytesByClass().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), (double) e.getValue() / s.series())).toList()));
            }
            if (s.rowsMissing() != 0) {
                out.add("WARNING: " + s.series() + " series: " + s.rowsMissing() + " rows missing (negative: doubled)");
            }
            previous = s;
        }
        if (r.series().stream().anyMatch(BenchResult.Scale::startUpIncluded)) {
            out.add("*: too short a run for the 10-90% rate: all values over the seconds from the job's start (start-up included)");
        }
        out.add("checkpoint: the first one completed after every row was committed, all its files; heap: used after a full GC, "
                + "job running, minus before it started (the last column: the difference to the previous count, per series added)");
        return out;
    }
}
