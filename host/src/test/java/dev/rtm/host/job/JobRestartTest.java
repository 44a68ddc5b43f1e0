package dev.rtm.host.job;

import static dev.rtm.testing.PacedProducer.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.local.KafkaBroker;
import dev.rtm.local.Poll;
import dev.rtm.testing.PostgresServer;
import dev.rtm.host.sink.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the job and starting it again keeps the detectors' state: the job (MiniCluster, ewma and
 * arima) is stopped with a savepoint (what {@code rtm job} does on Ctrl-C), points keep arriving,
 * and a new job started from the state the last run left ({@link JobRunner#lastState}) scores them
 * exactly as one uninterrupted run would: every score and expectation of both models equal.
 */
class JobRestartTest {

    static final String[] HOSTS = {"a", "b"};
    static final int PER_RUN = 400;

    @TempDir
    Path tmp;

    @Test
    void aJobStoppedWithASavepointResumesWithItsDetectorStateIntact() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            String checkpoints = tmp.resolve("checkpoints").toUri().toString().replaceAll("/$", "");
            String yaml = "detectors: { ewma: {}, arima: {} }\njob: { checkpoint-interval-ms: 500, checkpoint-dir: \""
                    + checkpoints + "\" }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());
            assertThat(JobRunner.checkpointDir(cfg, false)).isEqualTo(checkpoints);
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma", "arima");
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "restart-test").anomaliesTopic(null)
                    .pluginsDir(plugins).postgres(new PostgresSettings(pg.url(), null, null, 500, Duration.ofMillis(200)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            long start = System.currentTimeMillis() - 2L * PER_RUN * 1000;

            assertThat(JobRunner.lastState(checkpoints)).as("nothing to resume from yet").isEmpty();
            produce(broker, start, 0, PER_RUN);
            JobClient first = JobRunner.start(cfg, s, 2, null, null, true);
            int firstRun = HOSTS.length * PER_RUN;
            Poll.until("the first run's rows", Duration.ofMinutes(2),
                    () -> count(pg, "metrics") == firstRun && count(pg, "anomaly_scores") == 2L * firstRun);
            String savepoint = JobRunner.stopWithSavepoint(first, checkpoints);
            // finished, not failed or cancelled (the result is kept by the client: the job's MiniCluster may already be gone)
            assertThat(first.getJobExecutionResult().get(1, java.util.concurrent.TimeUnit.MINUTES).getJobID()).isEqualTo(first.getJobID());
            assertThat(JobRunner.lastState(checkpoints)).as("the next run resumes from the savepoint").contains(savepoint);

            produce(broker, start, PER_RUN, 2 * PER_RUN); // points arrive while no job runs
            JobClient second = JobRunner.start(cfg, s, 2, null, JobRunner.lastState(checkpoints).orElseThrow(), true);
            try {
                int all = 2 * firstRun;
                Poll.until("the second run's rows", Duration.ofMinutes(2),
                        () -> count(pg, "metrics") == all && count(pg, "anomaly_scores") == 2L * all);
                for (String model : new String[] {"ewma", "arima"}) {
                    UninterruptedRun.assertScoresOf(pg, plugins, model, HOSTS, "cpu.total_pct", all);
                }
                // the savepoint was rtm's own (in its checkpoint dir): the second run took it over, and once
                // a newer checkpoint completed it was deleted, so restarts do not pile up copies of the state
                Path taken = savepoint.startsWith("file:") ? Path.of(java.net.URI.create(savepoint)) : Path.of(savepoint);
                Poll.until("the savepoint the run resumed from deleted", Duration.ofMinutes(1),
                        () -> !java.nio.file.Files.exists(taken.resolve("_metadata")));
                assertThat(JobRunner.lastState(checkpoints)).as("the next run resumes from the second run's checkpoint")
                        .hasValueSatisfying(s2 -> assertThat(s2).contains(second.getJobID().toString()).contains("chk-"));
            } finally {
                second.cancel().get();
            }
        }
    }

    private static void produce(KafkaBroker broker, long start, int from, int to) throws Exception {
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        try (var p = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", broker.bootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                for (String h : HOSTS) {
                    double v = 40 + 10 * Math.sin(i / 20.0) + (i * 13 % 7) * 0.5 + (i % 150 == 75 ? 30 : 0);
                    p.send(new ProducerRecord<>("metrics", h.getBytes(StandardCharsets.UTF_8),
                            wire.encode(Schemas.hostMetrics(h, start + i * 1000L, Map.of("cpu.total_pct", v), Map.of()))));
                }
            }
            p.flush();
        }
    }
}
