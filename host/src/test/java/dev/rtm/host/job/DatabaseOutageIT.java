package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.host.PluginJars;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.RtmConfig;
import dev.rtm.host.decode.Schemas;
import dev.rtm.host.decode.WireFormat;
import dev.rtm.host.demo.KafkaBroker;
import dev.rtm.host.demo.Processes;
import dev.rtm.host.infra.PostgresServer;
import dev.rtm.host.sink.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
    static final int METRICS = 20;  // values per record
    static final int HOSTS = 10;

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
            JobSettings s = new JobSettings(broker.bootstrap(), "metrics", "metrics-dlq", null, "outage-it", null, yaml, null,
                    plugins.toString(), null, Duration.ofMinutes(5), Duration.ofDays(7), false,
                    new JobSettings.Postgres(pg.url(), null, null, 5000, 500));
            JobClient job = JobRunner.start(cfg, s, 2);
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong produced = new AtomicLong();
            Thread producer = new Thread(() -> produce(broker, producing, produced), "outage-producer");
            try {
                producer.start();
                Processes.await("rows before the outage", Duration.ofMinutes(2), null, () -> count(pg, "metrics") > 10 * RATE);
                pg.stop();
                long stopped = System.nanoTime();
                long before = produced.get();
                Processes.await("the outage", Duration.ofSeconds(OUTAGE_S + 30), null,
                        () -> System.nanoTime() - stopped >= OUTAGE_S * 1_000_000_000L);
                assertThat(job.getJobStatus().get()).as("the job during the outage").isEqualTo(JobStatus.RUNNING);
                long duringOutage = produced.get() - before;
                pg.restart();
                long back = System.nanoTime();
                Processes.await("ten more seconds of data after the outage", Duration.ofMinutes(2), null,
                        () -> System.nanoTime() - back >= 10_000_000_000L);
                producing.set(false);
                producer.join();
                long values = produced.get();
                Processes.await("every value stored and scored", Duration.ofMinutes(10), null,
                        () -> count(pg, "metrics") == values && count(pg, "anomaly_scores") == values);
                double catchUp = (System.nanoTime() - back) / 1e9;
                System.out.printf("database outage: %d s at %d values/s (%d values produced while it was down); "
                        + "%d values in all, every one stored and scored %.1f s after the database came back%n",
                        OUTAGE_S, RATE, duringOutage, values, catchUp);
                assertThat(duringOutage).isPositive();
                assertThat(job.getJobStatus().get()).as("the job after the outage").isEqualTo(JobStatus.RUNNING);
                // exactly once: as many rows as values, each (host, metric, time) once (the primary key), and every
                // produced time present for every metric
                assertThat(count(pg, "SELECT count(DISTINCT (host, time)) FROM metrics")).isEqualTo(values / METRICS);
                assertThat(count(pg, "SELECT count(*) FROM anomaly_scores a JOIN metrics m USING (host, metric, time)"))
                        .isEqualTo(values);
            } finally {
                producing.set(false);
                producer.join();
                job.cancel().get();
            }
        }
    }

    private static void produce(KafkaBroker broker, AtomicBoolean producing, AtomicLong produced) {
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        Map<String, Object> cfg = Map.of("bootstrap.servers", broker.bootstrap(), "enable.idempotence", true, "linger.ms", 5);
        long start = System.currentTimeMillis() - 3_600_000; // distinct past timestamps, one per record per host
        int recordsPerSecond = Math.max(1, RATE / METRICS);
        try (var p = new KafkaProducer<byte[], byte[]>(cfg, new ByteArraySerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            for (long i = 0; producing.get(); i++) {
                String host = "h" + (i % HOSTS);
                long ts = start + (i / HOSTS) * 10;
                Map<String, Double> values = new HashMap<>();
                for (int m = 0; m < METRICS; m++) {
                    values.put("m" + m, 50 + 10 * Math.sin((i / HOSTS + m) / 30.0) + (i % 7) * 0.1);
                }
                p.send(new ProducerRecord<>("metrics", host.getBytes(StandardCharsets.UTF_8),
                        wire.encode(Schemas.hostMetrics(host, ts, values, Map.of()))));
                produced.addAndGet(METRICS);
                long due = t0 + (i + 1) * 1_000_000_000L / recordsPerSecond; // pace to the rate
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            p.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(PostgresServer pg, String sqlOrTable) {
        String sql = sqlOrTable.startsWith("SELECT") ? sqlOrTable : "SELECT count(*) FROM " + sqlOrTable;
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // down: not there yet
        }
    }
}
