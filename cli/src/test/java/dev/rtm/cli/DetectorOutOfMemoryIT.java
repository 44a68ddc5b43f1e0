package dev.rtm.cli;

import dev.rtm.host.job.UninterruptedRun;
import dev.rtm.testing.PacedProducer;
import static dev.rtm.testing.PacedProducer.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.local.Processes;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detector plugin that leaks memory until the heap runs out, beside ewma, in {@code rtm job} run
 * as its own JVM with a 256 MB heap (the test JVM's heap is a quarter of the machine): the call that
 * runs out of memory is caught, the plugin is quarantined on every series of the subtask and its
 * models in memory dropped (their memory is reclaimed: it leaks and runs out again after each
 * back-off, and the JVM lives on), named in a log line, a metric and a {@code detector} alert;
 * ewma's scores are those of a run without the plugin and the job never restarts.
 */
class DetectorOutOfMemoryIT {

    private static final String HEAP = "-Xmx256m";

    @TempDir
    Path tmp;

    @Test
    void aDetectorThatRunsOutOfMemoryIsQuarantinedAndItsMemoryReclaimedWhileTheOthersScoreAsBefore() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            Files.move(PluginJars.build("hog", "hog", false, tmp), plugins.resolve("hog.jar"));
            int port = Processes.freePort();
            Path config = tmp.resolve("rtm.yaml");
            Files.writeString(config, "kafka: { bootstrap: \"" + broker.bootstrap() + "\", group: oom-it, anomalies-topic: none }\n"
                    + "postgres: { url: \"" + pg.url() + "\" }\n"
                    + "detectors: { ewma: {}, hog: {} }\n"
                    + "job: { parallelism: 1, checkpoint-interval-ms: 1000, checkpoint-dir: \""
                    + tmp.resolve("checkpoints").toUri().toString().replaceAll("/$", "") + "\", quarantine-backoff-s: 2, "
                    + "metrics-port: " + port + " }\n");
            Path out = tmp.resolve("job.out");
            Path err = tmp.resolve("job.err");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                    "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("jvm-tmp")),
                    "-cp", System.getProperty("java.class.path"), "dev.rtm.cli.Main",
                    "job", "--config", config.toString(), "--plugins-dir", plugins.toString(), "--fresh"));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("RTM_LOG");
            pb.environment().remove("RTM_FLINK_LOG");
            Process job = pb.start();
            try {
                Poll.untilReady("rtm job running", Duration.ofMinutes(2), job, () -> read(out).contains(" running (Ctrl-C"));
                String metrics = "http://127.0.0.1:" + port + "/metrics";
                long values;
                long stored;
                long t0 = System.nanoTime();
                try (PacedProducer producer = new PacedProducer(broker.bootstrap(), "metrics", 1_000)) {
                    // it leaks from its 20th point on h3/m0 (4 s at this rate), runs out, is tried again after 2 s, 4 s, ...
                    Poll.untilReady("hog ran out of memory three times", Duration.ofMinutes(3), job,
                            () -> sum(Processes.httpBody(metrics), "flink_taskmanager_job_task_operator_detectorOutOfMemory") >= 3);
                    values = producer.finish();
                    stored = count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'ewma'");
                }
                double produced = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                Poll.untilReady("every value stored and scored by ewma", Duration.ofMinutes(3), job,
                        () -> count(pg, "metrics") == values
                                && count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'ewma'") == values);
                double drained = (System.nanoTime() - t1) / 1e9;
                String scrape = Processes.httpBody(metrics);
                assertThat(job.isAlive()).as("the job's JVM").isTrue();
                assertThat(sum(scrape, "flink_jobmanager_job_numRestarts")).as("restarts").isZero();
                long outOfMemory = (long) sum(scrape, "flink_taskmanager_job_task_operator_detectorOutOfMemory");

                // ewma: every point once, each score what a run without hog gives
                assertThat(count(pg, "SELECT count(*) FROM anomaly_scores a JOIN metrics m USING (host, metric, time) "
                        + "WHERE a.model = 'ewma'")).isEqualTo(values);
                String[] hosts = new String[PacedProducer.HOSTS];
                for (int h = 0; h < hosts.length; h++) {
                    hosts[h] = "h" + h;
                }
                for (int m = 0; m < PacedProducer.METRICS; m++) {
                    UninterruptedRun.assertScoresOf(pg, plugins, "ewma", hosts, "m" + m, (int) (values / PacedProducer.METRICS));
                }
                // hog: quarantined on every series while it waits (a series it does not leak on has fewer rows than ewma's)
                assertThat(count(pg, "SELECT count(*) FROM anomaly_scores WHERE model = 'hog' AND host = 'h0' AND metric = 'm1'"))
                        .isLessThan(values / PacedProducer.METRICS / PacedProducer.HOSTS);
                // a detector alert each time, resolved when it answered again after its back-off
                assertThat(count(pg, "SELECT count(*) FROM alert_events WHERE kind = 'detector' AND models = 'hog' AND host = 'h3' "
                        + "AND metric = 'm0' AND rule = 'out-of-memory' AND state = 'firing'")).isGreaterThanOrEqualTo(2);
                assertThat(count(pg, "SELECT count(*) FROM alert_events WHERE kind = 'detector' AND models = 'hog' AND host = 'h3' "
                        + "AND state = 'resolved'")).isGreaterThanOrEqualTo(1);
                assertThat(count(pg, "SELECT count(*) FROM alert_events WHERE kind = 'detector' AND models <> 'hog'")).isZero();
                String log = read(err);
                assertThat(log).contains("detector 'hog' ran out of memory (Java heap space) on h3/m0: it is quarantined on "
                        + "every series of this subtask for 2 s");
                assertThat(log).contains("for 4 s"); // the back-off doubles: it ran out again soon after it came back
                assertThat(log).doesNotContain("detector 'ewma'").doesNotContain("Exception in thread");
                System.out.printf("detector out of memory: hog ran out %d times in a %s JVM; %d values in %.1f s, every ewma "
                        + "score equal to a run without hog, 0 restarts; %d values (%.1f s) behind when the producer stopped, "
                        + "caught up %.1f s later%n", outOfMemory, HEAP, values, produced, values - stored,
                        (values - stored) / 1_000.0, drained);
            } finally {
                Processes.stop(job);
            }
        }
    }

    /** The sum of a metric's samples in a Prometheus scrape (0 if absent or no scrape). */
    static double sum(String scrape, String name) {
        if (scrape == null) {
            return 0;
        }
        double total = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
