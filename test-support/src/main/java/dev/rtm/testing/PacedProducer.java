package dev.rtm.testing;

import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Load for the fault tests: {@code HostMetrics} records of {@link #METRICS} values each, for
 * {@link #HOSTS} hosts (or as many as asked) with distinct timestamps, sent at a steady rate by an idempotent producer
 * (retries, no duplicates across a broker restart) until {@link #close}. Counts what it sent.
 */
public final class PacedProducer implements AutoCloseable {

    public static final int METRICS = 20;
    public static final int HOSTS = 10;

    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicLong produced = new AtomicLong();
    private final Thread thread;
    private volatile RuntimeException failure;

    /** Starts sending {@code valuesPerSecond} values per second to {@code topic}, for {@link #HOSTS} hosts. */
    public PacedProducer(String bootstrap, String topic, int valuesPerSecond) {
        this(bootstrap, topic, valuesPerSecond, HOSTS);
    }

    /** As above, for {@code hosts} hosts (each {@link #METRICS} series), taking turns. */
    public PacedProducer(String bootstrap, String topic, int valuesPerSecond, int hosts) {
        thread = new Thread(() -> run(bootstrap, topic, valuesPerSecond, hosts), "paced-producer");
        thread.start();
    }

    /** Values sent so far (acknowledged or not). */
    public long produced() {
        return produced.get();
    }

    /** Stops sending, waits for every record to be acknowledged; returns the values sent. */
    public long finish() throws InterruptedException {
        producing.set(false);
        thread.join();
        if (failure != null) {
            throw failure;
        }
        return produced.get();
    }

    private void run(String bootstrap, String topic, int rate, int hosts) {
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        Map<String, Object> cfg = Map.of("bootstrap.servers", bootstrap, "enable.idempotence", true, "acks", "all",
                "linger.ms", 5, "delivery.timeout.ms", 300_000);
        long start = System.currentTimeMillis() - 3_600_000; // distinct past timestamps, one per record per host
        int recordsPerSecond = Math.max(1, rate / METRICS);
        try (var p = new KafkaProducer<byte[], byte[]>(cfg, new ByteArraySerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            for (long i = 0; producing.get(); i++) {
                String host = "h" + (i % hosts);
                long ts = start + (i / hosts) * 10;
                Map<String, Double> values = new HashMap<>();
                for (int m = 0; m < METRICS; m++) {
                    values.put("m" + m, 50 + 10 * Math.sin((i / hosts + m) / 30.0) + (i % 7) * 0.1);
                }
                p.send(new ProducerRecord<>(topic, host.getBytes(StandardCharsets.UTF_8),
                        wire.encode(Schemas.hostMetrics(host, ts, values, Map.of()))), (md, e) -> {
                            if (e != null) {
                                failure = new IllegalStateException("a record was not delivered: " + e, e);
                            }
                        });
                produced.addAndGet(METRICS);
                long wait = t0 + (i + 1) * 1_000_000_000L / recordsPerSecond - System.nanoTime(); // pace to the rate
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            p.flush();
        } catch (java.io.IOException e) {
            failure = new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        producing.set(false);
        thread.join();
    }

    /** {@code SELECT count(*) FROM table} (or a whole count query), -1 while the database cannot be reached. */
    public static long count(PostgresServer pg, String sqlOrTable) {
        String sql = sqlOrTable.startsWith("SELECT") ? sqlOrTable : "SELECT count(*) FROM " + sqlOrTable;
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
