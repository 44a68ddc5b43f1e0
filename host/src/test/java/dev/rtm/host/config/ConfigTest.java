package dev.rtm.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.host.PluginJars;
import dev.rtm.host.RtmException;
import dev.rtm.host.detect.ConfiguredDetector;
import dev.rtm.host.detect.DetectorCatalog;
import dev.rtm.host.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    static PluginRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void plugins() {
        registry = PluginRegistry.load(PluginJars.distPlugins());
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    RtmConfig load(String yaml, Map<String, String> env) throws Exception {
        Path f = tmp.resolve("rtm.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, env);
    }

    DetectorCatalog catalog(String yaml) throws Exception {
        return DetectorCatalog.build(load(yaml, Map.of()), registry);
    }

    @Test
    void theExampleConfigInTheRepoIsValid() {
        RtmConfig cfg = ConfigLoader.load(Path.of("../rtm.yaml"), Map.of());
        try (DetectorCatalog c = DetectorCatalog.build(cfg, registry)) {
            assertThat(c.select("web-1", "cpu.total_pct")).isNotEmpty();
        }
    }

    @Test
    void instancesRulesAndFirstMatchWins() throws Exception {
        DetectorCatalog c = catalog("""
                detectors:
                  ewma: { alpha: 0.3 }
                  ewma-slow: { type: ewma, alpha: 0.05, threshold: 4 }
                select:
                  - { metric: "cpu.*", host: "web-*", detectors: [ewma, ewma-slow] }
                  - { metric: "{mem,swap}.used_pct", detectors: ewma-slow }
                  - { metric: "disk.*", detectors: [] }
                """.replace("detectors: []", "detectors: [ewma]"));
        assertThat(c.select("web-1", "cpu.total_pct")).extracting(ConfiguredDetector::name).containsExactly("ewma", "ewma-slow");
        assertThat(c.select("db-1", "cpu.total_pct")).isEmpty();
        assertThat(c.select("db-1", "swap.used_pct")).extracting(ConfiguredDetector::name).containsExactly("ewma-slow");
        assertThat(c.select("db-1", "disk./var.used_pct")).extracting(ConfiguredDetector::name).containsExactly("ewma");
        ConfiguredDetector slow = c.select("db-1", "mem.used_pct").get(0);
        assertThat(slow.type()).isEqualTo("ewma");
        assertThat(slow.settings().describe()).containsEntry("alpha", "0.05").containsEntry("threshold", "4.0");
        assertThat(slow.detector().threshold()).isEqualTo(4.0);
    }

    @Test
    void withoutRulesEveryConfiguredDetectorRunsAndWithoutDetectorsEwma() throws Exception {
        assertThat(catalog("detectors: { ewma: {}, fast: { type: ewma, alpha: 0.9 } }").select("h", "m"))
                .extracting(ConfiguredDetector::name).containsExactly("ewma", "fast");
        assertThat(DetectorCatalog.build(RtmConfig.defaults(), registry).select("h", "m"))
                .extracting(ConfiguredDetector::name).containsExactly("ewma");
    }

    @Test
    void everyProblemIsReportedWithItsKeyPath() {
        assertThatThrownBy(() -> catalog("""
                plugin: { dir: x }
                plugins: { directory: x }
                detectors:
                  ewma: { alpha: two }
                  Bad_Name: {}
                  arima: { p: 2 }
                  other: { type: nope }
                select:
                  - { metric: "cpu.{a,b", detectors: [ewma] }
                  - { metrics: "x", detectors: [lstm] }
                  - { metric: "y" }
                """))
                .isInstanceOf(RtmException.class)
                .hasMessageContaining("plugin: unknown key; allowed keys: plugins, detectors, select, alert-rules, channels, silences, kafka, postgres, job, alerts")
                .hasMessageContaining("plugins.directory: unknown key; allowed keys: dir")
                .hasMessageContaining("detectors.Bad_Name: detector names are lower-case letters, digits and '-'")
                .hasMessageContaining("select[0].metric: unbalanced '{' in glob 'cpu.{a,b'")
                .hasMessageContaining("select[1].metrics: unknown key; allowed keys: metric, host, detectors")
                .hasMessageContaining("select[2].detectors: required: a list of detector names");
        assertThatThrownBy(() -> catalog("""
                detectors:
                  ewma: { alpha: two }
                  prophet: { p: 2 }
                  other: { type: nope }
                select:
                  - { detectors: [lsmt] }
                """))
                .hasMessageContaining("detectors.ewma.alpha: 'two' is not a number; allowed: a number in (0, 1]")
                .hasMessageContaining("detectors.prophet: unknown detector plugin 'prophet'; available: arima, ewma, lstm, rcf (or set type: to one of them)")
                .hasMessageContaining("detectors.other.type: unknown detector plugin 'nope'; available: arima, ewma, lstm, rcf")
                .hasMessageContaining("select[0].detectors: unknown detector 'lsmt'; available: arima, ewma, lstm, rcf");
    }

    @Test
    void valuesComeFromTheEnvironmentOrAFileAndErrorsNeverShowThem() throws Exception {
        Files.writeString(tmp.resolve("alpha.txt"), "0.25\n");
        RtmConfig cfg = load("""
                detectors:
                  ewma: { alpha: "${file:alpha.txt}", threshold: "${env:THRESH}", warmup: "${env:WARM:-7}" }
                """, Map.of("THRESH", "4.5"));
        assertThat(cfg.detectors().get("ewma").settings())
                .containsEntry("alpha", "0.25").containsEntry("threshold", "4.5").containsEntry("warmup", "7");
        assertThatThrownBy(() -> load("detectors: { ewma: { alpha: \"${env:NOT_SET_ANYWHERE}\" } }", Map.of()))
                .hasMessageContaining("detectors.ewma.alpha: environment variable NOT_SET_ANYWHERE is not set");
    }

    @Test
    void alertingSettingsChannelsAndSilencesAreCheckedAtStartNamingTheKey() throws Exception {
        assertThatThrownBy(() -> catalog("""
                alerts: { models: "Ewma;x", group-wait: soon, group-by: "host,team", fire-after: 9 }
                channels:
                  team: { type: carrier-pigeon }
                  pager: { type: slack, rate-per-s: 0 }
                silences:
                  - { host: "db-{", comment: maintenance }
                """))
                .isInstanceOf(RtmException.class)
                .hasMessageContaining("alerts.models: must be any, all, majority or a list of model names")
                .hasMessageContaining("alerts.group-wait: 'soon' is not a duration")
                .hasMessageContaining("alerts.group-by: 'team' is not a label to group by; allowed: host, metric, kind")
                .hasMessageContaining("alerts.fire-after: is 9 but must be at most alerts.window (5)")
                .hasMessageContaining("channels.pager.rate-per-s: must be a number > 0")
                .hasMessageContaining("silences[0].host: unbalanced '{'")
                .hasMessageContaining("silences[0].until: required");
        RtmConfig ok = load("""
                alerts: { models: "ewma,arima", group-wait: 10s, critical-score: 8 }
                channels:
                  team: { type: webhook, url: "http://127.0.0.1:1/hook", rate-per-s: 2.5, attempt-timeout: 5s }
                silences:
                  - { metric: "disk.*", until: 2027-01-01T00:00:00Z, comment: "new disks" }
                """, Map.of());
        assertThat(dev.rtm.host.alert.AlertRule.of(ok.host().alerts()).agreement().models()).containsExactly("ewma", "arima");
        assertThat(dev.rtm.host.notify.NotifySettings.of(ok.host().alerts()).groupWait()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(ok.channels().get("team").ratePerSecond()).isEqualTo(2.5);
        assertThat(ok.channels().get("team").settings()).containsOnlyKeys("url");
        assertThat(ok.silences().get(0).endsAt()).isEqualTo(java.time.Instant.parse("2027-01-01T00:00:00Z"));
        RtmConfig rules = load("""
                alerts: { models: any, critical-score: 6 }
                alert-rules:
                  - { name: databases, host: "db-*", models: [ewma, arima], no-data-after: 5 }
                  - { name: disks, metric: "disk.*", critical-score: 10 }
                """, Map.of());
        dev.rtm.host.alert.AlertRule r = dev.rtm.host.alert.AlertRule.of(rules);
        assertThat(r.forSeries("db-1", "cpu")).extracting(x -> x.name() + " " + x.agreement() + " " + x.criticalScore() + " " + x.noDataAfter())
                .isEqualTo("databases ewma,arima 6.0 5");
        assertThat(r.forSeries("web-1", "disk.used_pct")).extracting(x -> x.name() + " " + x.agreement() + " " + x.criticalScore())
                .isEqualTo("disks any 10.0");
        assertThat(r.forSeries("web-1", "cpu").name()).isEqualTo("default");
        assertThatThrownBy(() -> load("""
                alert-rules:
                  - { host: "db-*", models: "all;", critical-score: -1, colour: red }
                """, Map.of()))
                .isInstanceOf(RtmException.class)
                .hasMessageContaining("alert-rules[0].name: required")
                .hasMessageContaining("alert-rules[0].models: must be any, all, majority")
                .hasMessageContaining("alert-rules[0].critical-score: must be a number > 0")
                .hasMessageContaining("alert-rules[0].colour: unknown key");
        assertThatThrownBy(() -> dev.rtm.host.notify.ChannelCatalog.build(load("channels: { team: { type: carrier-pigeon } }\n",
                Map.of()), registry))
                .isInstanceOf(RtmException.class).hasMessageContaining("channels.team.type: unknown alerter plugin 'carrier-pigeon'");
    }

    @Test
    void storageRetentionMustKeepRollupsAtLeastAsLongAsRawData() {
        assertThatThrownBy(() -> catalog("""
                postgres: { keep-raw-days: 30, keep-1m-days: 7, keep-1h-days: 5 }
                """))
                .isInstanceOf(RtmException.class)
                .hasMessageContaining("postgres.keep-1m-days: is 7 but must be 0 or at least keep-raw-days (30)")
                .hasMessageContaining("postgres.keep-1h-days: is 5 but must be 0 or at least keep-1m-days (7)");
        assertThatThrownBy(() -> catalog("postgres: { compress-after-days: -1 }\n"))
                .isInstanceOf(RtmException.class).hasMessageContaining("postgres.compress-after-days:");
        assertThatThrownBy(() -> catalog("postgres: { keep-raw-days: 1 }\n"))
                .isInstanceOf(RtmException.class).hasMessageContaining("postgres.keep-raw-days: must be 0 (keep) or at least 2");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> load("detectors:\n  ewma: {alpha: 0.2\n", Map.of()))
                .isInstanceOf(RtmException.class).hasMessageContaining("is not valid YAML (line");
        assertThatThrownBy(() -> load("detectors: {}\ndetectors: {}\n", Map.of()))
                .hasMessageContaining("Duplicate field 'detectors'");
    }

    @Test
    void globs() {
        assertThat(Glob.compile("cpu.*").matches("cpu.core.0_pct")).isTrue();
        assertThat(Glob.compile("cpu.*").matches("xcpu.a")).isFalse();
        assertThat(Glob.compile("disk.?").matches("disk.a")).isTrue();
        assertThat(Glob.compile("{mem,swap}.used_pct").matches("swap.used_pct")).isTrue();
        assertThat(Glob.compile("a+b(c)").matches("a+b(c)")).isTrue();
    }
}
