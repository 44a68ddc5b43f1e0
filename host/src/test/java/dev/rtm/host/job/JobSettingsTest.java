package dev.rtm.host.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.host.alert.AlertRule;
import dev.rtm.host.config.ConfigLoader;
import dev.rtm.host.config.PostgresSettings;
import dev.rtm.host.config.RtmConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    static final String TEXT_SECRET = "s3cr3t-in-the-text";
    static final String ENV_SECRET = "s3cr3t-from-the-env";
    static final String REGISTRY_SECRET = "s3cr3t-of-the-registry";

    static final String YAML = """
            kafka: { bootstrap: "broker:9092", group: readers, anomalies-topic: none,
                     schema-registry: "http://rtm:%s@registry:8080/apis/ccompat/v7" }
            postgres: { url: "jdbc:postgresql://db/rtm?password=%s", user: writer, password: "${env:RTM_PG_PASSWORD}",
                        batch-size: 200, flush-interval-ms: 50, outage-tolerance-s: 30 }
            job: { max-future-s: 60, max-past-s: 3600, forecast-every: 0, warm-up-points: 7, detector-time-budget-ms: 250,
                   quarantine-backoff-s: 9 }
            alerts: { fire-after: 2, window: 4 }
            detectors: { ewma: {} }
            """.formatted(REGISTRY_SECRET, TEXT_SECRET);

    static RtmConfig config() {
        return ConfigLoader.parseText(YAML, null, Map.of("RTM_PG_PASSWORD", ENV_SECRET));
    }

    @Test
    void toStringShowsTheSectionsButNoConfigTextPasswordOrRegistryCredential() {
        JobSettings s = JobSettings.from(config()).pluginsDir(Path.of("plugins")).build();
        assertThat(s.config().yaml()).as("the text travels with the settings").contains(TEXT_SECRET);
        assertThat(s.postgres().password()).isEqualTo(ENV_SECRET);

        String shown = s.toString();
        assertThat(shown).doesNotContain(TEXT_SECRET).doesNotContain(ENV_SECRET).doesNotContain(REGISTRY_SECRET)
                .doesNotContain("detectors").doesNotContain("${env:");
        assertThat(shown).contains("broker:9092").contains("readers").contains("user writer").contains("password ******")
                .contains(YAML.length() + " chars");
    }

    @Test
    void everySectionIsReadFromTheConfig() {
        JobSettings s = JobSettings.from(config()).pluginsDir(Path.of("plugins")).build();
        assertThat(s.kafka()).isEqualTo(new JobSettings.Kafka("broker:9092", "metrics", "metrics-dlq", null, "alerts", "readers",
                "http://rtm:" + REGISTRY_SECRET + "@registry:8080/apis/ccompat/v7"));
        assertThat(s.kafka().alertTransitionsTopic()).as("published only with the flagged points").isNull();
        assertThat(s.postgres()).isEqualTo(new PostgresSettings("jdbc:postgresql://db/rtm?password=" + TEXT_SECRET, "writer",
                ENV_SECRET, 200, Duration.ofMillis(50), Duration.ofSeconds(30)));
        assertThat(s.limits()).isEqualTo(new JobSettings.InputLimits(Duration.ofMinutes(1), Duration.ofHours(1)));
        assertThat(s.forecasts()).as("forecast-every 0: none written").isEqualTo(new JobSettings.Forecasts(0, 12));
        assertThat(s.detection()).isEqualTo(new JobSettings.Detection(7, Duration.ofMillis(250), Duration.ofSeconds(9)));
        assertThat(s.alerts()).isEqualTo(AlertRule.of(config()));
        assertThat(s.alerts().fireAfter()).isEqualTo(2);
        assertThat(s.plugins()).isEqualTo(new JobSettings.Plugins(Path.of("plugins").toAbsolutePath().toString(), null));
        assertThat(s.bounded()).isFalse();
    }

    @Test
    void withoutAConfigEachSectionHasItsDeclaredDefaults() {
        JobSettings s = JobSettings.from(RtmConfig.defaults()).pluginsDir(Path.of("plugins")).build();
        assertThat(s.kafka()).isEqualTo(new JobSettings.Kafka("localhost:9092", "metrics", "metrics-dlq", "anomalies", "alerts",
                "rtm-job", null));
        assertThat(s.kafka().alertTransitionsTopic()).isEqualTo("alerts");
        assertThat(s.postgres()).as("postgres.url none: no storage").isNull();
        assertThat(s.limits()).isEqualTo(new JobSettings.InputLimits(Duration.ofMinutes(5), Duration.ofDays(7)));
        assertThat(s.forecasts()).isEqualTo(new JobSettings.Forecasts(12, 12));
        assertThat(s.detection()).isEqualTo(new JobSettings.Detection(0, Duration.ofSeconds(10), Duration.ofMinutes(5)));
        assertThat(s.alerts()).isEqualTo(AlertRule.DEFAULT);
        assertThat(s.config()).isEqualTo(new JobSettings.Config("", null));
    }

    @Test
    void theBuilderChangesOnlyWhatItIsToldAndNeedsThePluginsDir() {
        JobSettings s = JobSettings.from(config()).kafka("other:9092", "g2").metricsTopic("m2").registry(null)
                .plugins(JobSettings.Plugins.shipped(Path.of("p"))).bounded(true).postgres(null).build();
        assertThat(s.kafka()).isEqualTo(new JobSettings.Kafka("other:9092", "m2", "metrics-dlq", null, "alerts", "g2", null));
        assertThat(s.plugins().ship()).isEqualTo(s.plugins().dir()).isEqualTo(Path.of("p").toAbsolutePath().toString());
        assertThat(s.bounded()).isTrue();
        assertThat(s.postgres()).isNull();
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.limits()).isEqualTo(JobSettings.from(config()).pluginsDir(Path.of("p")).build().limits());

        assertThatThrownBy(() -> JobSettings.from(config()).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("plugins");
        assertThatThrownBy(() -> new PostgresSettings("jdbc:postgresql://db/rtm", null, null, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch-size");
    }

    @Test
    void theSettingsSurviveJavaSerialisationAsTheOperatorsCarryThem() throws Exception {
        JobSettings s = JobSettings.from(config()).pluginsDir(Path.of("plugins")).build();
        byte[] bytes = InstantiationUtil.serializeObject(s);
        assertThat((JobSettings) InstantiationUtil.deserializeObject(bytes, getClass().getClassLoader())).isEqualTo(s);
    }
}
