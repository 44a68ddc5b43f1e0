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
 *
 * <p>A record too big to go back to Kafka with these headers (over {@link #MAX_BYTES}: the producer's
 * default {@code max.request.size} is 1 MiB, and the largest record a broker took on the source topic
 * leaves no room for them) keeps the first {@link #KEPT_BYTES} bytes of its value; the reason says so
 * and header {@code rtm.dlq.value-bytes} has the original length. Otherwise the job could not write the
 * dead letter and would fail on that record again after every restart.
 */
public final class DeadLetterSink {

    /** Header with the reason. */
    public static final String REASON = "rtm.dlq.reason";

    /** The largest dead letter written whole (key, value and headers), below the producer's 1 MiB limit. */
    static final int MAX_BYTES = 1_000_000;
    /** How much of a larger value is kept. */
    static final int KEPT_BYTES = 64 * 1024;

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

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
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
            byte[] key = d.record.key;
            byte[] value = d.record.value;
            String reason = d.reason;
            if (length(key) + length(value) + reason.length() * 3 > MAX_BYTES) {
                if (length(value) > KEPT_BYTES) {
                    reason += " (the dead letter keeps the first " + KEPT_BYTES + " of its " + value.length + " bytes)";
                    h.add("rtm.dlq.value-bytes", String.valueOf(value.length).getBytes(StandardCharsets.UTF_8));
                    value = java.util.Arrays.copyOf(value, KEPT_BYTES);
                }
                if (length(key) > KEPT_BYTES) {
                    reason += " (and the first " + KEPT_BYTES + " of its key's " + key.length + " bytes)";
                    h.add("rtm.dlq.key-bytes", String.valueOf(key.length).getBytes(StandardCharsets.UTF_8));
                    key = java.util.Arrays.copyOf(key, KEPT_BYTES);
                }
            }
            h.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
            h.add("rtm.dlq.topic", d.record.topic.getBytes(StandardCharsets.UTF_8));
            h.add("rtm.dlq.partition", String.valueOf(d.record.partition).getBytes(StandardCharsets.UTF_8));
            h.add("rtm.dlq.offset", String.valueOf(d.record.offset).getBytes(StandardCharsets.UTF_8));
            return new ProducerRecord<>(topic, null, d.record.timestamp, key, value, h);
        }
    }
}
