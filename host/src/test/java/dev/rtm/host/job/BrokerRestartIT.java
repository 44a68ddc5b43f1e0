package dev.rtm.host.job;

import dev.rtm.testing.PacedProducer;
import static dev.rtm.testing.PacedProducer.count;

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
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker restarts mid-stream (SIGTERM, then started again on the same log dirs and port)
 * while an idempotent producer keeps sending: the producer buffers and re-sends, the job's source
 * reconnects (restarting from its checkpoint if it must), and in the end every value has exactly one
 * raw and one score row. Prints the time to catch up after the broker is back.
 */
class BrokerRestartIT {

    static final int RATE = 2_000;
    static final int DOWN_S = 20;

    @TempDir
    Path tmp;

    @Test
    void aBrokerRestartLosesNothingAndDoublesNothing() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"));
             PostgresServer pg = PostgresServer.start(tmp.resolve("pg"))) {
            try (Connection c = pg.connect()) {
                Schema.apply(c);
            }
            broker.createTopics(2, "metrics");
            broker.createTopics(1, "metrics-dlq");
            Path plugins = PluginJars.copyDistPlugins(tmp.resolve("plugins"), "ewma");
            String yaml = "detectors: { ewma: {} }\njob: { checkpoint-interval-ms: 2000, restart-delay-ms: 2000 }\n";
            RtmConfig cfg = ConfigLoader.parseText(yaml, null, Map.of());
            JobSettings s = JobSettings.from(cfg).kafka(broker.bootstrap(), "broker-restart-it").anomaliesTopic(null)
                    .pluginsDir(plugins).postgres(new PostgresSettings(pg.url(), null, null, 5000, Duration.ofMillis(500)))
                    .forecasts(JobSettings.Forecasts.OFF).build();
            JobClient job = JobRunner.start(cfg, s, 2);
            try (PacedProducer producer = new PacedProducer(broker.bootstrap(), "metrics", RATE)) {
                Poll.until("rows before the restart", Duration.ofMinutes(2), () -> count(pg, "metrics") > 10 * RATE);
                broker.stop();
                long stopped = System.nanoTime();
                Poll.until("the broker down", Duration.ofSeconds(DOWN_S + 30),
                        () -> System.nanoTime() - stopped >= DOWN_S * 1_000_000_000L);
                broker.restart();
                long back = System.nanoTime();
                Poll.until("ten more seconds of data", Duration.ofMinutes(2),
                        () -> System.nanoTime() - back >= 10_000_000_000L);
                long values = producer.finish();
                Poll.until("every value stored and scored", Duration.ofMinutes(5),
                        () -> count(pg, "metrics") == values && count(pg, "anomaly_scores") == values);
                System.out.printf("broker restart: down %d s at %d values/s; %d values in all, every one stored and scored "
                        + "%.1f s after the broker came back%n", DOWN_S, RATE, values, (System.nanoTime() - back) / 1e9);
                DatabaseOutageIT.assertExactlyOnce(pg, values);
            } finally {
                job.cancel().get();
            }
        }
    }
}
