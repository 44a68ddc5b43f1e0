package dev.rtm.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.host.RtmException;
import dev.rtm.host.job.JobRunner;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@code job.metrics-port}: Flink's Prometheus reporter on by default, a range, off, and refused values. */
class MetricsPortConfigTest {

    static Map<String, String> reporter(String yaml) {
        Configuration conf = JobRunner.flinkConfig(ConfigLoader.parseText(yaml, null, Map.of()));
        Map<String, String> out = new java.util.TreeMap<>();
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(JobRunner.PROMETHEUS_REPORTER)) {
                out.put(k.substring(JobRunner.PROMETHEUS_REPORTER.length()), v);
            }
        });
        return out;
    }

    @Test
    void theReporterIsOnByDefaultOnAPortARangeOrOff() {
        assertThat(reporter("job: { checkpoint-dir: none }\n")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory", "port", "9249"));
        assertThat(reporter("job: { checkpoint-dir: none, metrics-port: 9300-9310 }\n")).containsEntry("port", "9300-9310");
        assertThat(reporter("job: { checkpoint-dir: none, metrics-port: 0 }\n")).isEmpty();
    }

    @Test
    void aLocalJobTakesTheFirstFreePortOrGoesOnWithoutTheEndpoint() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int p = taken.getLocalPort();
            Configuration alone = JobRunner.flinkConfig(ConfigLoader.parseText(
                    "job: { checkpoint-dir: none, metrics-port: " + p + " }\n", null, Map.of()));
            assertThat(JobRunner.claimMetricsPort(alone)).isEqualTo(-1);
            assertThat(alone.toMap().keySet()).noneMatch(k -> k.startsWith(JobRunner.PROMETHEUS_REPORTER));
            if (p < 65535) {
                Configuration range = JobRunner.flinkConfig(ConfigLoader.parseText(
                        "job: { checkpoint-dir: none, metrics-port: " + p + "-" + (p + 1) + " }\n", null, Map.of()));
                int got = JobRunner.claimMetricsPort(range);
                if (got != -1) { // p + 1 may be someone else's
                    assertThat(got).isEqualTo(p + 1);
                    assertThat(range.toMap()).containsEntry(JobRunner.PROMETHEUS_REPORTER + "port", String.valueOf(p + 1));
                }
            }
        }
    }

    @Test
    void aValueThatIsNotAPortOrARangeIsRefusedWithItsKey() {
        for (String bad : new String[] {"http", "70000", "9259-9249", "-1", "9249,9250"}) {
            assertThatThrownBy(() -> ConfigLoader.parseText("job: { metrics-port: \"" + bad + "\" }\n", null, Map.of()))
                    .as(bad).isInstanceOf(RtmException.class)
                    .hasMessageContaining("job.metrics-port: '" + bad + "' is not a port (1-65535), a range like 9249-9259, or 0 (off)");
        }
    }
}
