package dev.rtm.host.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtm.wire.Schemas;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** What the job keeps of a decoded record, and what it refuses with a reason. */
class MetricsValidatorTest {

    static final long NOW = 1_700_000_000_000L;

    static GenericRecord sample(String host, long ts, Map<String, Double> metrics) {
        return Schemas.hostMetrics(host, ts, metrics, Map.of("os", "linux"));
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
