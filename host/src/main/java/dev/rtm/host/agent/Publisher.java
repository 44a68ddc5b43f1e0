package dev.rtm.host.agent;

import dev.rtm.host.decode.Schemas;
import dev.rtm.host.decode.SchemaRegistryClient;
import dev.rtm.host.decode.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes {@code HostMetrics} records to Kafka, keyed by host, in the configured wire format. */
public final class Publisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final WireFormat wire;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong answerNanos = new AtomicLong();
    private volatile String lastError;

    /** @param registryUrl Confluent-compatible registry, or null for single-object encoding */
    public Publisher(String bootstrap, String topic, String registryUrl) {
        this.topic = topic;
        this.wire = new WireFormat(Schemas.HOST_METRICS, registryUrl == null ? null : new SchemaRegistryClient(registryUrl),
                topic + "-value");
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // a broker gone mid-run blocks a send at most this long (Kafka's default: a minute)
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one sample (asynchronously; failures are counted). */
    public void publish(String host, long timestamp, Map<String, Double> metrics, Map<String, String> tags) throws IOException {
        GenericRecord r = Schemas.hostMetrics(host, timestamp, metrics, tags);
        long start = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, host.getBytes(StandardCharsets.UTF_8), wire.encode(r)), (md, e) -> {
            answerNanos.addAndGet(System.nanoTime() - start);
            if (e == null) {
                sent.incrementAndGet();
            } else {
                failed.incrementAndGet();
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        });
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
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
