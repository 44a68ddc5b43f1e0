package dev.rtm.host.job;

import dev.rtm.testing.PacedProducer;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away mid-stream and comes back: points keep arriving on Kafka the whole time, the
 * job (MiniCluster, the job's own Flink configuration) waits the outage out without failing, and in
 * the end every produced value has exactly one raw row and one ewma score row. Prints the time to
 * catch up after the database returns.
 *
 * <p>CI runs a 60 s outage at 2 000 values/s. The long variant ({@code -Pfaults-long}: a 10-minute
 * outage at 20 000 values/s) is set by {@code rtm.outage.seconds} and {@code rtm.outage.rate}.
 */
class DatabaseOutageIT {

    static final int OUTAGE_S = Integer.getInteger("rtm.outage.seconds", 60);
    static final int RATE = Integer.getInteger("rtm.outage.rate", 2_000); // values per second

    @TempDir
    Path tmp;

    @Test
    void theJobWaitsOutADatabaseOutageAndLosesNoRowAndDoublesNone() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            String yaml = "detectors: { ewma: {} }\njob: { checkpoint-interval-ms: 2000 }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "outage-it").anomaliesTopic(null).pluginsDir(plugins)
                    // small batches: the sink's wait starts inside a point's emit
                    .postgres(new PostgresSettings(pg.url(), null, null, 200, Duration.ofMillis(500)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            JobClient job = JobRunner.start(cfg, s, 2);
            try (PacedProducer producer = new PacedProducer(broker.bootstrap(), "metrics", RATE)) {
                Poll.until("rows before the outage", Duration.ofMinutes(2), () -> count(pg, "metrics") > 10 * RATE);
                pg.stop();
                long stopped = System.nanoTime();
                long before = producer.produced();
                Poll.until("the outage", Duration.ofSeconds(OUTAGE_S + 30),
                        () -> System.nanoTime() - stopped >= OUTAGE_S * 1_000_000_000L);
                assertThat(job.getJobStatus().get()).as("the job during the outage").isEqualTo(JobStatus.RUNNING);
                long duringOutage = producer.produced() - before;
                pg.restart();
                long back = System.nanoTime();
                Poll.until("ten more seconds of data after the outage", Duration.ofMinutes(2),
                        () -> System.nanoTime() - back >= 10_000_000_000L);
                long values = producer.finish();
                Poll.until("every value stored and scored", Duration.ofMinutes(10),
                        () -> count(pg, "metrics") == values && count(pg, "anomaly_scores") == values);
                double catchUp = (System.nanoTime() - back) / 1e9;
                System.out.printf("database outage: %d s at %d values/s (%d values produced while it was down); "
                        + "%d values in all, every one stored and scored %.1f s after the database came back%n",
                        OUTAGE_S, RATE, duringOutage, values, catchUp);
                assertThat(duringOutage).isPositive();
                assertThat(job.getJobStatus().get()).as("the job after the outage").isEqualTo(JobStatus.RUNNING);
                assertExactlyOnce(pg, values);
                // the sink's wait runs in the detect stage's thread (chained): it is not the detector's time
                assertThat(count(pg, "SELECT count(*) FROM alert_events WHERE kind = 'detector'"))
                        .as("detectors quarantined while the sink waited for the database").isZero();
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * As many raw and score rows as values, each (host, metric, time) once (the primary key), every
     * produced record time present, and every score row beside its raw row.
     */
    static void assertExactlyOnce(PostgresServer pg, long values) {
        assertThat(count(pg, "metrics")).isEqualTo(values);
        assertThat(count(pg, "SELECT count(DISTINCT (host, time)) FROM metrics")).isEqualTo(values / PacedProducer.METRICS);
        assertThat(count(pg, "SELECT count(*) FROM anomaly_scores a JOIN metrics m USING (host, metric, time)")).isEqualTo(values);
    }
}
