package dev.rtm.host.sink;

import dev.rtm.wire.Schemas;
import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.WireFormat;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Rows to a Kafka topic as Avro records, keyed by host, in the same wire format as the input
 * (registry framing when a registry is configured, single-object encoding otherwise).
 *
 * <pre>{@code
 * stream.sinkTo(AvroTopicSink.atLeastOnce(bootstrap, "alerts", registryUrl, Schemas.ALERT_EVENT, AlertEventAvro::toAvro, e -> e.host, e -> e.at));
 * }</pre>
 *
 * @param <T> the row type
 */
public final class AvroTopicSink {

    /** A serialisable function. */
    public interface Fn<A, B> extends Function<A, B>, Serializable {
    }

    private AvroTopicSink() {
    }

    /**
     * At-least-once: a replay after a restart may publish a record again; consumers key on the
     * record's identity (e.g. {@code alert_id} + {@code state}).
     *
     * @param schemaName the schema's resource name under {@code /avro} is not needed: pass the parsed schema's full name
     */
    public static <T> KafkaSink<T> atLeastOnce(String bootstrap, String topic, String registryUrl, Schema schema,
                                               Fn<T, GenericRecord> toAvro, Fn<T, String> key, Fn<T, Long> time) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(new Serializer<>(topic, registryUrl, schema.toString(), toAvro, key, time))
                .build();
    }

    private static final class Serializer<T> implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final String registryUrl;
        private final String schemaJson;
        private final Fn<T, GenericRecord> toAvro;
        private final Fn<T, String> key;
        private final Fn<T, Long> time;
        private transient WireFormat wire;

        Serializer(String topic, String registryUrl, String schemaJson, Fn<T, GenericRecord> toAvro, Fn<T, String> key, Fn<T, Long> time) {
            this.topic = topic;
            this.registryUrl = registryUrl;
            this.schemaJson = schemaJson;
            this.toAvro = toAvro;
            this.key = key;
            this.time = time;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T row, KafkaSinkContext ctx, Long timestamp) {
            if (wire == null) {
                wire = new WireFormat(new Schema.Parser().parse(schemaJson),
                        registryUrl == null ? null : new SchemaRegistryClient(registryUrl), topic + "-value");
            }
            try {
                return new ProducerRecord<>(topic, null, time.apply(row), key.apply(row).getBytes(StandardCharsets.UTF_8),
                        wire.encode(toAvro.apply(row)));
            } catch (IOException e) {
                throw new UncheckedIOException("encoding a record for topic " + topic + ": " + e.getMessage(), e);
            }
        }
    }
}
