package dev.rtm.testing;

import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads {@code HostMetrics} records back from a topic, as the job decodes them. */
public final class KafkaRecords {

    /** One record, decoded. */
    public record Rec(String key, String host, long timestamp, Map<String, Double> metrics, Map<String, String> tags) {
    }

    private KafkaRecords() {
    }

    /** Reads the topic from its start until {@code done} holds for what was read, or {@code wait} is over. */
    public static List<Rec> read(String bootstrap, String topic, Predicate<List<Rec>> done, Duration wait) throws Exception {
        WireFormat wire = new WireFormat(Schemas.HOST_METRICS, null, topic + "-value");
        List<Rec> got = new ArrayList<>();
        try (var c = new KafkaConsumer<byte[], byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + wait.toNanos();
            while (!done.test(got) && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(300))) {
                    GenericRecord g = wire.decode(r.value());
                    Map<String, Double> metrics = new TreeMap<>();
                    ((Map<?, ?>) g.get("metrics")).forEach((k, v) -> metrics.put(k.toString(), (Double) v));
                    Map<String, String> tags = new TreeMap<>();
                    ((Map<?, ?>) g.get("tags")).forEach((k, v) -> tags.put(k.toString(), v.toString()));
                    got.add(new Rec(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), g.get("host").toString(),
                            (Long) g.get("timestamp"), metrics, tags));
                }
            }
        }
        return got;
    }
}
