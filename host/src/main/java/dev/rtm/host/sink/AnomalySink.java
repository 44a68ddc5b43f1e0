package dev.rtm.host.sink;

import dev.rtm.wire.DecodeException;
import dev.rtm.wire.SchemaRegistryClient;
import dev.rtm.wire.Schemas;
import dev.rtm.wire.WireFormat;
import dev.rtm.host.detect.ScoreRow;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Flagged points to the {@code anomalies} topic as Avro {@code Anomaly} records, keyed by host, in
 * the same wire format as the input (registry framing when a registry is configured).
 */
public final class AnomalySink {

    private AnomalySink() {
    }

    /** At-least-once. */
    public static KafkaSink<ScoreRow> build(String bootstrap, String topic, String registryUrl) {
        return AvroTopicSink.atLeastOnce(bootstrap, topic, registryUrl, Schemas.ANOMALY, AnomalySink::toAvro, r -> r.host, r -> r.timestamp);
    }

    /** The Avro record of a flagged point. */
    public static GenericRecord toAvro(ScoreRow r) {
        GenericRecord a = new GenericData.Record(Schemas.ANOMALY);
        a.put("host", r.host);
        a.put("metric", r.metric);
        a.put("model", r.model);
        a.put("timestamp", r.timestamp);
        a.put("value", r.value);
        a.put("expected", Double.isNaN(r.expected) ? null : r.expected);
        a.put("lower", Double.isNaN(r.lower) ? null : r.lower);
        a.put("upper", Double.isNaN(r.upper) ? null : r.upper);
        a.put("score", r.score);
        return a;
    }

    /** Decodes an {@code anomalies} record (for consumers and tests). */
    public static GenericRecord decode(byte[] bytes, String registryUrl) throws DecodeException {
        return new WireFormat(Schemas.ANOMALY, registryUrl == null ? null : new SchemaRegistryClient(registryUrl),
                "anomalies-value").decode(bytes);
    }
}
