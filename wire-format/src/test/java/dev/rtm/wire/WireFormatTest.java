package dev.rtm.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    static final long NOW = 1_700_000_000_000L;

    static GenericRecord sample(String host, long ts, Map<String, Double> metrics) {
        return Schemas.hostMetrics(host, ts, metrics, Map.of("os", "linux"));
    }

    @Test
    void singleObjectEncodingRoundTrips() throws Exception {
        WireFormat wf = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        byte[] bytes = wf.encode(sample("web-1", NOW, Map.of("cpu.total_pct", 12.5)));
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        GenericRecord back = wf.decode(bytes);
        assertThat(back.get("host").toString()).isEqualTo("web-1");
        assertThat(back.get("timestamp")).isEqualTo(NOW);
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) back.get("metrics")).values())).containsExactly(12.5);
    }

    @Test
    void anOlderWriterSchemaIsResolved() throws Exception {
        Schema old = new Schema.Parser().parse("""
                {"type":"record","name":"HostMetrics","namespace":"dev.rtm.avro","fields":[
                  {"name":"host","type":"string"},
                  {"name":"timestamp","type":{"type":"long","logicalType":"timestamp-millis"}},
                  {"name":"metrics","type":{"type":"map","values":"double"}}]}""");
        GenericRecord r = new GenericData.Record(old);
        r.put("host", "db-1");
        r.put("timestamp", NOW);
        r.put("metrics", Map.of("load.1m", 0.5));
        byte[] bytes = new WireFormat(old, null, "metrics-value").encode(r);
        WireFormat reader = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        assertThatThrownBy(() -> reader.decode(bytes)).hasMessageStartingWith("unknown schema fingerprint");
        reader.know(old);
        GenericRecord back = reader.decode(bytes);
        assertThat(back.get("host").toString()).isEqualTo("db-1");
        assertThat((Map<?, ?>) back.get("tags")).isEmpty();
    }

    @Test
    void everyKindOfBadBytesHasAReason() throws Exception {
        WireFormat wf = new WireFormat(Schemas.HOST_METRICS, null, "metrics-value");
        byte[] good = wf.encode(sample("web-1", NOW, Map.of("cpu.total_pct", 12.5)));
        assertThatThrownBy(() -> wf.decode(new byte[0])).hasMessage("empty message");
        assertThatThrownBy(() -> wf.decode("{\"host\":\"x\"}".getBytes()))
                .hasMessage("not an Avro message: starts with 0x7b, expected 0x00 (schema registry) or 0xC3 0x01 (single-object encoding)");
        assertThatThrownBy(() -> wf.decode(new byte[] {0, 0, 0, 0, 7, 1, 2}))
                .hasMessage("Confluent-framed message with schema id 7 but no schema registry is configured");
        assertThatThrownBy(() -> wf.decode(Arrays.copyOf(good, good.length - 3)))
                .hasMessageStartingWith("corrupt Avro body");
        byte[] longer = Arrays.copyOf(good, good.length + 2);
        assertThatThrownBy(() -> wf.decode(longer)).hasMessageContaining("trailing bytes");
    }
}
