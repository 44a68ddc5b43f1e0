package dev.rtm.ingest;

import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes {@code HostMetrics} records as the agent does (keyed by host, the configured wire
 * format), but waits for the broker's answer, so a request is acknowledged to its client only once
 * its records are on Kafka (a client retries a request answered 503).
 */
public final class KafkaOut implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final WireFormat wire;
    private final String topic;
    private final Duration timeout;

    /** @param registryUrl Confluent-compatible registry, or null for single-object encoding */
    public KafkaOut(String bootstrap, String topic, String registryUrl, Duration timeout) {
        this.topic = topic;
        this.timeout = timeout;
        this.wire = new WireFormat(Schemas.HOST_METRICS, registryUrl == null ? null : new SchemaRegistryClient(registryUrl),
                topic + "-value");
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1_000),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis() - 5, 500)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the records and waits until the broker took every one.
     *
     * @throws IOException naming why when one was not taken within the timeout
     */
    public void send(List<SeriesMapper.HostSample> records) throws IOException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try {
            for (SeriesMapper.HostSample r : records) {
                byte[] value = wire.encode(Schemas.hostMetrics(r.host(), r.timestamp(), r.metrics(), r.tags()));
                sent.add(producer.send(new ProducerRecord<>(topic, r.host().getBytes(StandardCharsets.UTF_8), value)));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException("Kafka did not take the records: " + c.getClass().getSimpleName() + ": " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException("Kafka did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to Kafka", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("Kafka did not take the records: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
