package dev.rtm.host.job;

import dev.rtm.testing.PacedProducer;
import dev.rtm.testing.LogCapture;
import static dev.rtm.testing.PacedProducer.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint disk turns slow (every file takes 5 s to open and 5 s to close, through the
 * {@link SlowFileSystem} {@code slowfile://} scheme), then fast again, while 1 000 values/s arrive:
 * the job keeps storing and scoring at the same pace, checkpoints outliving their 2 s timeout are
 * aborted without failing the job and each is said in one log line naming the checkpoint dir and
 * the timeout; once the disk is fast a checkpoint completes within a few seconds, and every value is
 * stored and scored exactly once.
 */
class CheckpointSlowDiskIT {

    private static final int RATE = 1_000;
    private static final long LATENCY_MS = 5_000;
    private static final int SERIES = 2_000;

    @TempDir
    Path tmp;

    @Test
    void theJobGoesOnWhileItsCheckpointDiskIsSlowSaysSoAndCheckpointsAgainWhenItIsFast() throws Exception {
        Path checkpoints = tmp.resolve("checkpoints");
        String dir = "slowfile://" + checkpoints.toAbsolutePath();
        SlowFileSystem.latencyMillis = 0;
        try (LogCapture logs = new LogCapture();
             KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            String yaml = "detectors: { ewma: {} }\njob: { checkpoint-interval-ms: 500, checkpoint-timeout-ms: 2000, "
                    + "checkpoint-dir: \"" + dir + "\" }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "slow-disk-it").anomaliesTopic(null)
                    .pluginsDir(plugins).postgres(new PostgresSettings(pg.url(), null, null, 5000, Duration.ofMillis(500)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            JobClient job = JobRunner.start(cfg, s, 2);
            // 2 000 series: state files of their own in every checkpoint, as any real job's are; Flink keeps a
            // state under 20 KB inside the checkpoint's _metadata, which the JobManager writes after the tasks
            // have acknowledged, where the checkpoint timeout no longer applies (10 series' state is that small)
            try (PacedProducer producer = new PacedProducer(broker.bootstrap(), "metrics", RATE, SERIES / PacedProducer.METRICS)) {
                Poll.until("a checkpoint on the fast disk", Duration.ofMinutes(2), () -> lastCompleted(checkpoints) > 0);
                maxLag(producer, pg, Duration.ofSeconds(5)); // the job's first seconds: not measured
                double fastLag = maxLag(producer, pg, Duration.ofSeconds(10));

                SlowFileSystem.latencyMillis = LATENCY_MS; // the disk turns slow
                long scoredBefore = count(pg, "anomaly_scores");
                long slowSince = System.nanoTime();
                // a checkpoint already past its writes may still complete; after one timeout, none does
                Poll.until("a checkpoint aborted on the slow disk", Duration.ofMinutes(1),
                        () -> logs.text().contains("did not complete"));
                long lastBefore = lastCompleted(checkpoints);
                double slowLag = maxLag(producer, pg, Duration.ofSeconds(20));
                assertThat(lastCompleted(checkpoints)).as("no checkpoint completed on the slow disk").isEqualTo(lastBefore);
                assertThat(SlowFileSystem.slowFiles.get()).as("checkpoint files written slowly").isPositive();
                assertThat(count(pg, "anomaly_scores") - scoredBefore).as("scored while checkpoints were slow")
                        .isGreaterThan(20L * RATE / 2);
                assertThat(slowLag).as("seconds the scores fell behind (a blocked pipeline: at least a file's latency)")
                        .isLessThan(LATENCY_MS / 1000.0);
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                List<String> aborted = logs.lines("CheckpointWatch", "did not complete");
                assertThat(aborted).as(logs.text()).hasSizeGreaterThanOrEqualTo(3);
                assertThat(aborted.get(aborted.size() - 1)).contains(" to " + dir)
                        .contains("(timeout 2 s)").contains("it outlived the checkpoint timeout").contains("the job goes on");
                double slowFor = (System.nanoTime() - slowSince) / 1e9;

                SlowFileSystem.latencyMillis = 0; // fast again
                long fastAt = System.nanoTime();
                Poll.until("a checkpoint after the disk is fast again", Duration.ofMinutes(1),
                        () -> lastCompleted(checkpoints) > lastBefore);
                double recovered = (System.nanoTime() - fastAt) / 1e9;
                assertThat(recovered).as("seconds to a completed checkpoint once the disk is fast").isLessThan(10);
                Poll.until("rtm says checkpoints complete again", Duration.ofSeconds(30),
                        () -> logs.text().contains("that did not: state is saved to"));
                double fastAgainLag = maxLag(producer, pg, Duration.ofSeconds(10));
                long values = producer.finish();
                Poll.until("every value stored and scored", Duration.ofMinutes(2),
                        () -> count(pg, "metrics") == values && count(pg, "anomaly_scores") == values);
                assertThat(job.getJobStatus().get()).as("never restarted").isEqualTo(JobStatus.RUNNING);
                DatabaseOutageIT.assertExactlyOnce(pg, values);
                System.out.printf("slow checkpoint disk (%d s per file open and close, timeout 2 s, interval 0.5 s): %d checkpoints "
                                + "aborted in %.0f s, none completed, the job kept scoring; scores behind the producer at most "
                                + "%.2f s on the fast disk, %.2f s on the slow one, %.2f s after; a checkpoint completed %.1f s after "
                                + "the disk was fast again; %d values stored and scored exactly once%n", LATENCY_MS / 1000,
                        aborted.size(), slowFor, fastLag, slowLag, fastAgainLag, recovered, values);
            } finally {
                SlowFileSystem.latencyMillis = 0;
                job.cancel().get();
            }
        }
    }

    /**
     * The most the stored scores fell behind the produced values over {@code span}, in seconds of
     * input (sampled every 200 ms): the end-to-end delay of a value, within the sink's flush interval.
     */
    private static double maxLag(PacedProducer producer, PostgresServer pg, Duration span) throws InterruptedException {
        long end = System.nanoTime() + span.toNanos();
        long worst = 0;
        while (System.nanoTime() < end) {
            long produced = producer.produced();
            long scored = count(pg, "anomaly_scores");
            worst = Math.max(worst, produced - scored);
            Thread.sleep(200); // sampling interval of a measurement
        }
        return worst / (double) RATE;
    }

    /** The id of the newest completed checkpoint (a chk-N dir with its _metadata), 0 if none. */
    private static long lastCompleted(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(checkpoints, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .mapToLong(p -> Long.parseLong(p.getParent().getFileName().toString().substring("chk-".length())))
                    .max().orElse(0);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
