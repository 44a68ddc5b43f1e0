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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint disk fills up, then space returns: the job keeps storing and scoring points while
 * its checkpoints fail (it does not restart: failed checkpoints are tolerated), and completes
 * checkpoints again once there is room. The disk is a 4 MB tmpfs filled to the last byte when the
 * machine lets the test mount one (root on Linux); otherwise the checkpoint dir is blocked by a
 * file in its place (every write under it fails the same way), and the test says which it used.
 */
class CheckpointDiskFullIT {

    @TempDir
    Path tmp;

    @Test
    void theJobGoesOnWhileItsCheckpointDiskIsFullAndCheckpointsAgainWhenSpaceReturns() throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        boolean tmpfs = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString());
        Path checkpoints = disk.resolve("checkpoints");
        Path filler = tmpfs ? disk.resolve("filler") : checkpoints;
        System.out.println("checkpoint disk: " + (tmpfs ? "a 4 MB tmpfs, filled" : "cannot mount a tmpfs here: a file where the dir should be"));
        try (LogCapture logs = new LogCapture();
             KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            fill(filler, tmpfs);
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            String yaml = "detectors: { ewma: {} }\njob: { checkpoint-interval-ms: 500, checkpoint-dir: \""
                    + checkpoints.toUri().toString().replaceAll("/$", "") + "\" }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "disk-full-it").anomaliesTopic(null)
                    .pluginsDir(plugins).postgres(new PostgresSettings(pg.url(), null, null, 5000, Duration.ofMillis(500)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            JobClient job = JobRunner.start(cfg, s, 2);
            try (PacedProducer producer = new PacedProducer(broker.bootstrap(), "metrics", 1_000)) {
                Poll.until("points stored and scored with the disk full", Duration.ofMinutes(2),
                        () -> count(pg, "anomaly_scores") > 10_000);
                Poll.until("ten seconds of checkpoints tried on the full disk", Duration.ofMinutes(1),
                        () -> count(pg, "anomaly_scores") > 20_000);
                assertThat(completed(checkpoints)).as("no checkpoint completed on the full disk").isZero();
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                // said in rtm's log, naming the dir and why
                List<String> said = logs.lines("CheckpointWatch", "did not complete");
                assertThat(said).as(logs.text()).isNotEmpty();
                assertThat(said.get(said.size() - 1)).contains(" to " + checkpoints.toUri().toString().replaceAll("/$", ""))
                        .contains(tmpfs ? "a part of it failed: its disk is full" : "is not a writable directory")
                        .contains("the job goes on");

                Files.delete(filler); // space returns
                long freed = System.nanoTime();
                Poll.until("a checkpoint completed after space returned", Duration.ofMinutes(1),
                        () -> completed(checkpoints) > 0);
                System.out.printf("checkpoint disk full: the job stored and scored throughout; a checkpoint completed "
                        + "%.1f s after space returned%n", (System.nanoTime() - freed) / 1e9);
                Poll.until("rtm says checkpoints complete again", Duration.ofSeconds(30),
                        () -> !logs.lines("CheckpointWatch", "that did not: state is saved to").isEmpty());
                long values = producer.finish();
                Poll.until("every value stored and scored", Duration.ofMinutes(2),
                        () -> count(pg, "metrics") == values && count(pg, "anomaly_scores") == values);
                assertThat(job.getJobStatus().get()).as("never restarted").isEqualTo(JobStatus.RUNNING);
                DatabaseOutageIT.assertExactlyOnce(pg, values);
            } finally {
                job.cancel().get();
            }
        } finally {
            if (tmpfs) {
                run("umount", disk.toString());
            }
        }
    }

    /** Fills the tmpfs to the last byte, or puts a file where the checkpoint dir goes. */
    private static void fill(Path filler, boolean tmpfs) throws IOException {
        if (!tmpfs) {
            Files.writeString(filler, "not a directory");
            return;
        }
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("space");
        }
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 64 * 1024; i++) {
                out.write(0); // the last bytes
                out.flush();
            }
        } catch (IOException full) {
            // now full
        }
    }

    /** Completed checkpoints (a chk-N dir with its _metadata) under the checkpoint dir. */
    private static long completed(Path checkpoints) {
        if (!Files.isDirectory(checkpoints)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(checkpoints, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata")).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
