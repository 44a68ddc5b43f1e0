package dev.rtm.host.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Test
    void validationKeepsGoodValuesAndNamesWhatItRefused() {
        MetricsValidator v = new MetricsValidator(Duration.ofMinutes(5), Duration.ofDays(7));
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("cpu.total_pct", 10.0);
        m.put("mem.used_pct", Double.NaN);
        m.put("disk.read_bps", Double.POSITIVE_INFINITY);
        m.put("load.1m", 0.7);
        MetricsValidator.Result r = v.validate(sample("web-1", NOW, m), NOW);
        assertThat(r.points()).extracting(MetricPoint::metric).containsExactly("cpu.total_pct", "load.1m");
        assertThat(r.reason()).isEqualTo("metric mem.used_pct is NaN; metric disk.read_bps is Infinity (the other 2 values were kept)");

        assertThat(v.validate(sample(" ", NOW, Map.of("a", 1.0)), NOW).reason()).isEqualTo("missing host");
        assertThat(v.validate(sample("h", NOW, Map.of()), NOW).reason()).isEqualTo("no metrics");
        MetricsValidator.Result future = v.validate(sample("h", NOW + Duration.ofHours(1).toMillis(), Map.of("a", 1.0)), NOW);
        assertThat(future.points()).isEmpty();
        assertThat(future.reason()).isEqualTo("timestamp 2023-11-14T23:13:20Z is more than PT5M in the future");
        assertThat(v.validate(sample("h", NOW - Duration.ofDays(8).toMillis(), Map.of("a", 1.0)), NOW).reason())
                .contains("in the past");
        assertThat(v.validate(sample("h", NOW, Map.of("a", 1.0)), NOW)).isEqualTo(
                new MetricsValidator.Result(List.of(new MetricPoint("h", "a", NOW, 1.0)), null));
    }

    @Test
    void hostileNamesAreKeptVerbatimUnlessTheyHaveControlCharactersOrAreTooLong() {
        MetricsValidator v = new MetricsValidator(Duration.ofMinutes(5), Duration.ofDays(7));
        for (String name : List.of("it's; DROP TABLE metrics; --", "back\\slash \\N", "𝔘 😀 host", "😀".repeat(256),
                "%s ${jndi:ldap://x/a}", "\u202Eevil")) {
            assertThat(v.validate(sample(name, NOW, Map.of(name, 1.0)), NOW).points())
                    .containsExactly(new MetricPoint(name, name, NOW, 1.0));
        }
        assertThat(v.validate(sample("a\nFAKE", NOW, Map.of("a", 1.0)), NOW).reason())
                .isEqualTo("host \"a\\u000AFAKE\" has a control character (U+000A)");
        assertThat(v.validate(sample("nul\u0000", NOW, Map.of("a", 1.0)), NOW).points()).isEmpty();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ok", 1.0);
        m.put("x".repeat(10_000), 2.0);
        MetricsValidator.Result r = v.validate(sample("h", NOW, m), NOW);
        assertThat(r.points()).extracting(MetricPoint::metric).containsExactly("ok");
        assertThat(r.reason()).isEqualTo("metric \"" + "x".repeat(64) + "…\" is 10000 bytes long (at most 1024) "
                + "(the other 1 values were kept)");
        assertThat(v.validate(sample("😀".repeat(257), NOW, Map.of("a", 1.0)), NOW).reason()).endsWith("is 1028 bytes long (at most 1024)");

        byte[] bad = {'b', (byte) 0xFF, 'd'}; // not UTF-8: Avro would decode it to "b\uFFFDd"
        GenericRecord rec = sample("h", NOW, Map.of("a", 1.0));
        rec.put("host", new org.apache.avro.util.Utf8(bad));
        assertThat(v.validate(rec, NOW).reason()).isEqualTo("host \"b\uFFFDd\" is not valid UTF-8");
        rec.put("host", new org.apache.avro.util.Utf8("b\uFFFDd")); // the character itself is fine
        assertThat(v.validate(rec, NOW).points()).hasSize(1);
    }
}
