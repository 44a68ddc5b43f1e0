package dev.rtm.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void aRealBrokerTakesAndGivesBackRecords() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"))) {
            broker.createTopics(2, "t");
            try (var p = new KafkaProducer<String, String>(Map.of("bootstrap.servers", broker.bootstrap()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    p.send(new ProducerRecord<>("t", "k" + i, "v" + i)).get();
                }
            }
            List<String> got = new ArrayList<>();
            try (var c = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", broker.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, "g", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of("t"));
                Poll.until("the ten records read back", Duration.ofSeconds(60), () -> {
                    c.poll(Duration.ofMillis(500)).forEach(r -> got.add(r.value()));
                    return got.size() >= 10;
                });
            }
            assertThat(got).hasSize(10).contains("v0", "v9");
        }
    }
}
