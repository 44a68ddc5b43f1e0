package dev.rtm.cli.bench;

import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.job.JobRunner;
import dev.rtm.host.job.JobSettings;
import dev.rtm.local.FlinkCluster;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.LocalPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code rtm bench --kill-taskmanager}: the throughput phase's drain on a standalone Flink cluster (a
 * JobManager and a TaskManager process, as {@code flink run} uses), once undisturbed and once with the
 * TaskManager killed (SIGKILL) once 40 % of the rows are committed and a checkpoint has completed (at 70 %
 * without one), and a new TaskManager started. The job restarts from that checkpoint and replays what came after
 * it; the sink overwrites the rows it meets again. Reported: rows lost or doubled (the tables are
 * counted), values/s over each whole drain (first row to last; the killed one's includes its recovery),
 * their ratio, and the longest time without a commit.
 */
public final class CrashBench {

    /**
     * What the two drains measured.
     *
     * @param values values each drain loaded
     * @param cleanValuesPerSecond the undisturbed drain, first committed row to last
     * @param killedValuesPerSecond the drain with the kill, first committed row to last (its recovery included)
     * @param beforeKillValuesPerSecond the killed drain's rate from its first row to the kill
     * @param stallSeconds the longest time the killed drain committed nothing
     * @param rowsMissing raw and score rows expected minus found after the killed drain (0: none lost; negative: doubled)
     */
    public record Result(long values, double cleanValuesPerSecond, double killedValuesPerSecond, double beforeKillValuesPerSecond,
                         double stallSeconds, long rowsMissing) {
    }

    private static final Duration STALL = Duration.ofMinutes(3);
    private final Consumer<String> say;

    public CrashBench(Consumer<String> say) {
        this.say = say;
    }

    /** Runs both drains of {@code hosts x samples} samples (ewma) on a cluster made of the distribution's {@code lib}. */
    public Result run(Path work, Path dist, Path pluginsDir, Map<String, String> env, int hosts, int samples, int flushMillis)
            throws Exception {
        PipelineBench.requirePlugins(pluginsDir, List.of("ewma"));
        long values = (long) hosts * samples * 5;
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"));
             FlinkCluster cluster = FlinkCluster.start(dist.resolve("lib"), work.resolve("flink"))) {
            broker.createTopics(2, "metrics-clean", "metrics-killed");
            broker.createTopics(1, "metrics-dlq");
            LocalPostgres.Target pg = LocalPostgres.ensure(env, say);
            BenchSchema schema = BenchSchema.fresh(pg, "rtm_bench");
            RtmConfig cfg = ConfigLoader.parseText("detectors: { ewma: {} }\n"
                    + PipelineBench.jobYaml(work.resolve("checkpoints"), ", checkpoint-interval-ms: 1000, restart-delay-ms: 1000"), null, env);
            PostgresSettings sink = schema.sink(flushMillis);
            JobRunner.Cluster target = JobRunner.Cluster.of("127.0.0.1:" + cluster.restPort(), dist.resolve("lib"));

            PipelineBench.load(say, broker, "metrics-clean", hosts, samples, 0);
            List<long[]> clean = drain(work, schema, cfg, sink, broker, "metrics-clean", pluginsDir, target, cluster, 2 * values, false)
                    .progress();
            schema.truncate();
            PipelineBench.load(say, broker, "metrics-killed", hosts, samples, 0);
            Run run = drain(work, schema, cfg, sink, broker, "metrics-killed", pluginsDir, target, cluster, 2 * values, true);
            List<long[]> killed = run.progress();
            long[] kill = run.killedAt();
            if (kill == null) {
                throw new dev.rtm.host.RtmException("--kill-taskmanager: the drain ended before 40 % of its rows were seen committed; "
                        + "give more --samples");
            }
            long found = killed.get(killed.size() - 1)[1];
            long[] first = firstRow(killed);
            return new Result(values, rate(clean), rate(killed), (kill[1] - first[1]) / 2.0 / seconds(first, kill), longestStall(killed),
                    2 * values - found);
        }
    }

    /** The report lines of a result. */
    public static List<String> report(Result r) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "standalone cluster (JobManager + TaskManager processes), %d values, ewma, first row to last:", r.values()));
        out.add(String.format(Locale.ROOT, "  undisturbed: %.0f values/s", r.cleanValuesPerSecond()));
        out.add(String.format(Locale.ROOT, "  TaskManager killed (SIGKILL) past 40 %% of the rows, a new one started: %.0f values/s "
                + "(%.0f before the kill; nothing committed for %.1f s at most); ratio %.2f", r.killedValuesPerSecond(),
                r.beforeKillValuesPerSecond(), r.stallSeconds(), r.killedValuesPerSecond() / r.cleanValuesPerSecond()));
        out.add(r.rowsMissing() == 0 ? "  every raw and score row committed once across the kill"
                : "  WARNING: " + r.rowsMissing() + " rows missing after the kill (negative: doubled)");
        return out;
    }

    /** One drain's samples, each {nanos, rows} ({@link DrainMeter#sampleUntil}), and the sample at which it was killed, or null. */
    private record Run(List<long[]> progress, long[] killedAt) {
    }

    /**
     * Runs the job on the cluster until {@code expected} rows are committed (or none for {@link #STALL}), killing
     * and replacing the TaskManager once when {@code kill}.
     */
    private Run drain(Path work, BenchSchema schema, RtmConfig cfg, PostgresSettings sink, KafkaBroker broker, String topic, Path pluginsDir,
                      JobRunner.Cluster target, FlinkCluster cluster, long expected, boolean kill) throws Exception {
        JobSettings s = schema.job(cfg, broker.bootstrap(), topic, "bench-" + topic, pluginsDir).postgres(sink)
                // the TaskManager gets the plugins shipped with the job, as from a client to any cluster
                .plugins(new JobSettings.Plugins(work.resolve("no-plugins-on-the-taskmanager").toString(), pluginsDir.toString()))
                .build();
        JobClient job = JobRunner.start(cfg, s, 2, target);
        long[][] killedAt = {null};
        List<long[]> progress;
        try {
            progress = DrainMeter.sampleUntil(job, schema::committedRows, expected, STALL, rows -> {
                if (!kill || killedAt[0] != null || rows < expected * 0.4) {
                    return;
                }
                long checkpoints = cluster.completedCheckpoints(job.getJobID().toHexString());
                if (checkpoints > 0 || rows >= expected * 0.7) { // without one by 70 %, the restart replays from the start
                    killedAt[0] = new long[] {System.nanoTime(), rows};
                    try {
                        cluster.killTaskManager();
                        say.accept(String.format(Locale.ROOT, "killed the TaskManager (SIGKILL) at %d of %d rows, %d checkpoint(s) completed; "
                                + "starting a new one ...", rows, expected, checkpoints));
                        cluster.startTaskManager();
                    } catch (java.io.IOException | InterruptedException e) {
                        throw new IllegalStateException("could not replace the killed TaskManager: " + e.getMessage(), e);
                    }
                }
            });
        } finally {
            job.cancel().get();
        }
        say.accept(String.format(Locale.ROOT, "%s: %d of %d rows committed, %.0f values/s first row to last", kill ? "killed" : "undisturbed",
                progress.get(progress.size() - 1)[1], expected, rate(progress)));
        return new Run(progress, killedAt[0]);
    }

    private static long[] firstRow(List<long[]> progress) {
        return progress.stream().filter(p -> p[1] > 0).findFirst().orElse(progress.get(0));
    }

    /** Values/s (two rows each) from the first sample with a row to the first with all of them. */
    private static double rate(List<long[]> progress) {
        long total = progress.get(progress.size() - 1)[1];
        long[] last = progress.stream().filter(p -> p[1] == total).findFirst().orElseThrow();
        long[] first = firstRow(progress);
        return (total - first[1]) / 2.0 / seconds(first, last);
    }

    private static double seconds(long[] from, long[] to) {
        return Math.max(1e-3, (to[0] - from[0]) / 1e9);
    }

    private static double longestStall(List<long[]> progress) {
        double longest = 0;
        long[] since = null;
        for (long[] p : progress) {
            if (since == null || p[1] != since[1]) {
                since = p;
            } else if (p[1] > 0) {
                longest = Math.max(longest, seconds(since, p));
            }
        }
        return longest;
    }
}
