package dev.rtm.host.sink;

import dev.rtm.host.decode.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic ({@code metrics-dlq}): the original key and value bytes, unchanged, with
 * headers {@code rtm.dlq.reason}, {@code rtm.dlq.topic}, {@code rtm.dlq.partition},
 * {@code rtm.dlq.offset} (the convention of Kafka Connect's DLQ, so common tools show them).
 */
public final class DeadLetterSink {

    /** Header with the reason. */
    public static final String REASON = "rtm.dlq.reason";

    private DeadLetterSink() {
    }

    /** At-least-once: a dead letter may be written twice after a failure, never lost. */
    public static KafkaSink<DeadLetter> build(String bootstrap, String topic) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(new Serializer(topic))
                .build();
    }

    private static final class Serializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext ctx, Long timestamp) {
            RecordHeaders h = new RecordHeaders();
            h.add(REASON, d.reason.getBytes(StandardCharsets.UTF_8));
            h.add("rtm.dlq.topic", d.record.topic.getBytes(StandardCharsets.UTF_8));
            h.add("rtm.dlq.partition", String.valueOf(d.record.partition).getBytes(StandardCharsets.UTF_8));
            h.add("rtm.dlq.offset", String.valueOf(d.record.offset).getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(topic, null, d.record.timestamp, d.record.key, d.record.value, h);
        }
    }
}
