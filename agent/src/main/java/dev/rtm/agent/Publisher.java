package dev.rtm.agent;

import dev.rtm.wire.Schemas;
import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes {@code HostMetrics} records to Kafka, keyed by host, in the configured wire format, with an
 * idempotent producer ({@code enable.idempotence}, {@code acks=all}): a record the client re-sends after a
 * lost answer or a broker restart is written once, and records of one host stay in order.
 */
public final class Publisher implements SampleSink, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final WireFormat wire;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong answerNanos = new AtomicLong();
    private final String bootstrap;
    private volatile String lastError;
    private volatile boolean abandoning;

    /**
     * A publisher whose records fail after Kafka's delivery timeout (two minutes) when the broker is away.
     *
     * @param registryUrl Confluent-compatible registry, or null for single-object encoding
     */
    public Publisher(String bootstrap, String topic, String registryUrl) {
        this(bootstrap, topic, registryUrl, Map.of());
    }

    private Publisher(String bootstrap, String topic, String registryUrl, Map<String, Object> extra) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.wire = new WireFormat(Schemas.HOST_METRICS, registryUrl == null ? null : new SchemaRegistryClient(registryUrl),
                topic + "-value");
        Map<String, Object> cfg = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // a broker gone mid-run blocks a send at most this long (Kafka's default: a minute)
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        cfg.putAll(extra);
        this.producer = new KafkaProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A publisher whose client retries each record it took until the broker acknowledges it (no delivery
     * timeout; idempotence makes the retries safe), for use behind a {@link SendBuffer}, which bounds how
     * many records the client holds.
     */
    public static Publisher untilDelivered(String bootstrap, String topic, String registryUrl) {
        return new Publisher(bootstrap, topic, registryUrl, Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE));
    }

    /** One sample, encoded: the record's key and value. */
    public record Encoded(byte[] key, byte[] value) {

        /** Bytes it takes. */
        public int size() {
            return key.length + value.length;
        }
    }

    /** Encodes one sample as the record {@link #offer} sends. */
    public Encoded encode(String host, long timestamp, Map<String, Double> metrics, Map<String, String> tags) throws IOException {
        return new Encoded(host.getBytes(StandardCharsets.UTF_8), wire.encode(Schemas.hostMetrics(host, timestamp, metrics, tags)));
    }

    /**
     * Hands one record to Kafka's client. {@code answered} gets null once the broker acknowledged it, or
     * why it was refused.
     *
     * @return false, without calling {@code answered}, when the client did not take the record (no
     *         metadata or no room within {@code max.block.ms}, or interrupted): nothing was sent, try again
     */
    public boolean offer(Encoded record, Consumer<Exception> answered) {
        Thread caller = Thread.currentThread();
        boolean[] inOffer = {true};
        boolean[] notTaken = {false};
        long start = System.nanoTime();
        try {
            producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (md, e) -> {
                if (e instanceof RetriableException && Thread.currentThread() == caller && inOffer[0]) {
                    notTaken[0] = true; // refused by send() itself, before the record was queued
                    return;
                }
                count(start, e);
                answered.accept(e);
            });
        } catch (org.apache.kafka.common.errors.InterruptException | org.apache.kafka.common.errors.TimeoutException e) {
            return false;
        } finally {
            inOffer[0] = false;
        }
        return !notTaken[0];
    }

    /** Bootstrap servers, as configured. */
    public String bootstrap() {
        return bootstrap;
    }

    /** Sends one sample (asynchronously; failures are counted); holds back the caller while the client's buffer is full. */
    @Override
    public void publish(String host, long timestamp, Map<String, Double> metrics, Map<String, String> tags) throws IOException {
        Encoded r = encode(host, timestamp, metrics, tags);
        long start = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, r.key(), r.value()), (md, e) -> count(start, e));
    }

    private void count(long start, Exception e) {
        if (e != null && abandoning) {
            return; // given up at stop: the caller counts these as not sent
        }
        answerNanos.addAndGet(System.nanoTime() - start);
        if (e == null) {
            sent.incrementAndGet();
        } else {
            failed.incrementAndGet();
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Records acknowledged by the broker. */
    public long sent() {
        return sent.get();
    }

    /** Records the broker refused or that timed out. */
    public long failed() {
        return failed.get();
    }

    /** Time from send to the broker's answer, summed over the records answered ({@link #sent} + {@link #failed}). */
    public long answerNanos() {
        return answerNanos.get();
    }

    /** Why the last refused record was refused, or null. */
    public String lastError() {
        return lastError;
    }

    /** Waits for every record sent so far. */
    @Override
    public void flush() {
        producer.flush();
    }

    /**
     * Closes the client at once: records it still holds are dropped without being counted as failed
     * (the caller says how many were not sent).
     */
    public void abandon() {
        abandoning = true;
        producer.close(Duration.ZERO);
    }

    @Override
    public void close() {
        producer.close();
    }
}
