package dev.rtm.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.testing.PluginJars;
import dev.rtm.host.RtmException;
import dev.rtm.host.detect.ConfiguredDetector;
import dev.rtm.host.detect.DetectorCatalog;
import dev.rtm.host.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                .hasMessageContaining("plugin: unknown key; allowed keys: plugins, detectors, select, alert-rules, channels, silences, kafka, postgres, job, alerts, ingest, agent")
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

    // ---- issue 13, security: every key refuses a wrong type and an out-of-range value, naming the key ----

    private static final com.fasterxml.jackson.databind.ObjectMapper YAML_OUT =
            new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

    /**
     * Beyond an empty value: a value each text key of the host sections must refuse, or null for
     * free text. Every text key must be listed here (the test fails naming a new one that is not).
     */
    private static final Map<String, String> TEXT_OUT_OF_RANGE = new java.util.HashMap<>();

    static {
        TEXT_OUT_OF_RANGE.put("kafka.bootstrap", "localhost"); // no port
        for (String topic : List.of("metrics-topic", "dead-letter-topic", "anomalies-topic", "alerts-topic")) {
            TEXT_OUT_OF_RANGE.put("kafka." + topic, "my topic!");
        }
        TEXT_OUT_OF_RANGE.put("kafka.group", null);
        TEXT_OUT_OF_RANGE.put("kafka.schema-registry", "registry:8080");
        TEXT_OUT_OF_RANGE.put("postgres.url", "postgresql://db:5432/rtm");
        TEXT_OUT_OF_RANGE.put("postgres.user", null);
        TEXT_OUT_OF_RANGE.put("postgres.password", null);
        TEXT_OUT_OF_RANGE.put("job.checkpoint-dir", "relative/dir");
        TEXT_OUT_OF_RANGE.put("job.metrics-port", "70000");
        TEXT_OUT_OF_RANGE.put("alerts.models", "ewma;arima");
        TEXT_OUT_OF_RANGE.put("alerts.group-by", "team");
        for (String d : List.of("group-wait", "group-interval", "repeat-interval", "retry-for")) {
            TEXT_OUT_OF_RANGE.put("alerts." + d, "-5s");
        }
        TEXT_OUT_OF_RANGE.put("alerts.grafana-url", "grafana:3000");
        TEXT_OUT_OF_RANGE.put("ingest.bind", "0.0.0.0:9201"); // the port is ingest.port
        TEXT_OUT_OF_RANGE.put("ingest.token", "two words"); // not a bearer token
        TEXT_OUT_OF_RANGE.put("ingest.max-body", "2GiB");
        TEXT_OUT_OF_RANGE.put("ingest.topic", "my topic!");
        TEXT_OUT_OF_RANGE.put("ingest.kafka-timeout", "500ms");
    }

    /** Wrong-typed and out-of-range values for a key, generated from its spec. */
    private static List<Object> badValues(String path, dev.rtm.api.ConfigKey<?> k, boolean hostSection) {
        List<Object> bad = new java.util.ArrayList<>();
        switch (k.type()) {
            case NUMBER, INTEGER -> {
                bad.addAll(List.of("abc", true, List.of(1, 2)));
                for (Object probe : List.of(-1, 0, Integer.MIN_VALUE, Integer.MAX_VALUE, -1e300, 1e300)) {
                    try {
                        k.parse(probe);
                    } catch (IllegalArgumentException e) {
                        if (e.getMessage().contains("out of range")) {
                            bad.add(probe);
                        }
                    }
                }
                if (k.type() == dev.rtm.api.ConfigKey.Type.INTEGER) {
                    bad.add(1e12); // beyond an int
                    bad.add(1.5);
                }
            }
            case BOOLEAN -> bad.addAll(List.of("maybe", List.of(true)));
            case CHOICE -> bad.addAll(List.of("nope", List.of(k.choices().get(0))));
            default -> {
                bad.addAll(List.of(List.of("a", "b"), Map.of("a", 1)));
                if (!(k.secret() && "".equals(k.defaultValue()))) {
                    bad.add(" ");
                }
                if (hostSection) {
                    assertThat(TEXT_OUT_OF_RANGE).as("a value " + path + " must refuse (null: free text)").containsKey(path);
                    if (TEXT_OUT_OF_RANGE.get(path) != null) {
                        bad.add(TEXT_OUT_OF_RANGE.get(path));
                    }
                }
            }
        }
        return bad;
    }

    /** Loads the config (and builds its channels) and says what is wrong with how {@code bad} was refused, or null. */
    private String refusal(Map<String, Object> tree, String path, Object bad, boolean secret) throws Exception {
        String yaml = YAML_OUT.writeValueAsString(tree);
        try {
            RtmConfig cfg = load(yaml, Map.of());
            dev.rtm.host.notify.ChannelCatalog.build(cfg, registry);
            return path + " = " + bad + " was accepted";
        } catch (RtmException e) {
            String msg = e.getMessage();
            if (!msg.contains(path + ": ")) {
                return path + " = " + bad + " refused without naming the key: " + msg;
            }
            if (secret && bad instanceof String str && !str.isBlank() && msg.contains(str)) {
                return path + " = " + bad + " refused showing the secret: " + msg;
            }
            if (msg.contains("\tat ") || msg.contains("Exception")) {
                return path + " = " + bad + " refused with a stack trace or exception name: " + msg;
            }
            return null;
        }
    }

    @Test
    void everyKeyOfEveryHostSectionRefusesAWrongTypeAndAnOutOfRangeValueNamingTheKey() throws Exception {
        List<String> gaps = new java.util.ArrayList<>();
        int cases = 0;
        for (String section : HostSettings.NAMES) {
            for (dev.rtm.api.ConfigKey<?> k : HostSettings.SECTIONS.get(section).keys()) {
                String path = section + "." + k.name();
                for (Object bad : badValues(path, k, true)) {
                    cases++;
                    Map<String, Object> tree = Map.of(section, Map.of(k.name(), bad));
                    String gap = refusal(tree, path, bad, k.secret());
                    if (gap != null) {
                        gaps.add(gap);
                    }
                }
            }
        }
        // channels: the host's own keys, and every key of every alerter plugin rtm ships
        Map<String, List<Object>> channelHostKeys = Map.of("type", List.of(List.of("slack"), "Carrier Pigeon", "carrier-pigeon"),
                "rate-per-s", List.of("fast", List.of(1), 0, -1, ".inf"), "attempt-timeout", List.of(List.of(1), "soon", "-1s", "0s"));
        assertThat(channelHostKeys.keySet()).containsExactlyInAnyOrderElementsOf(RtmConfig.ChannelSection.HOST_KEYS);
        assertThat(registry.alerters()).as("the alerter plugins rtm ships").containsKeys("webhook", "slack", "pagerduty");
        for (var alerter : registry.alerters().values()) {
            Map<String, Object> base = new java.util.LinkedHashMap<>();
            base.put("type", alerter.name());
            for (dev.rtm.api.ConfigKey<?> k : alerter.configSpec().keys()) {
                if (k.required() || (k.secret() && k.name().endsWith("url"))) {
                    base.put(k.name(), k.name().contains("url") ? "http://127.0.0.1:1/valid" : "0123456789abcdef0123456789abcdef");
                }
            }
            assertThat(refusal(Map.of("channels", Map.of("c", base)), "channels.c", "(valid)", false))
                    .as("the valid base settings of " + alerter.name()).endsWith("was accepted");
            for (var hk : channelHostKeys.entrySet()) {
                for (Object bad : hk.getValue()) {
                    Map<String, Object> m = new java.util.LinkedHashMap<>(base);
                    m.put(hk.getKey(), bad);
                    cases++;
                    String gap = refusal(Map.of("channels", Map.of("c", m)), "channels.c." + hk.getKey(), bad, false);
                    if (gap != null) {
                        gaps.add(gap);
                    }
                }
            }
            for (dev.rtm.api.ConfigKey<?> k : alerter.configSpec().keys()) {
                for (Object bad : badValues("channels.c." + k.name(), k, false)) {
                    Map<String, Object> m = new java.util.LinkedHashMap<>(base);
                    m.put(k.name(), bad);
                    cases++;
                    String gap = refusal(Map.of("channels", Map.of("c", m)), "channels.c." + k.name(), bad, k.secret());
                    if (gap != null) {
                        gaps.add(alerter.name() + ": " + gap);
                    }
                }
            }
        }
        // alert-rules and silences: list entries, each key with a wrong type and an out-of-range value
        Map<String, List<Object>> ruleKeys = Map.of("name", List.of(List.of("a"), "Bad Name"), "host", List.of(Map.of("a", 1), "db-{"),
                "metric", List.of(List.of("x"), "cpu.{a"), "models", List.of(Map.of("a", 1), "ewma;"),
                "critical-score", List.of("high", List.of(1), 0, -1), "no-data-after", List.of("often", 1.5, -1));
        assertThat(ruleKeys.keySet()).containsExactlyInAnyOrderElementsOf(ConfigLoader.ALERT_RULE_KEYS);
        for (var rk : ruleKeys.entrySet()) {
            for (Object bad : rk.getValue()) {
                Map<String, Object> rule = new java.util.LinkedHashMap<>(Map.of("name", "r"));
                rule.put(rk.getKey(), bad);
                cases++;
                String gap = refusal(Map.of("alert-rules", List.of(rule)), "alert-rules[0]." + rk.getKey(), bad, false);
                if (gap != null) {
                    gaps.add(gap);
                }
            }
        }
        Map<String, List<Object>> silenceKeys = Map.of("host", List.of(Map.of("a", 1), "db-{"), "metric", List.of(List.of("x"), "cpu.{a"),
                "from", List.of(List.of(1), "yesterday", "2027-06-01T00:00:00Z"), // after until
                "until", List.of(Map.of("a", 1), "2026-13-40T00:00:00Z"), "comment", List.of(List.of("a"), Map.of("a", 1)));
        assertThat(silenceKeys.keySet()).containsExactlyInAnyOrderElementsOf(ConfigLoader.SILENCE_KEYS);
        for (var sk : silenceKeys.entrySet()) {
            for (Object bad : sk.getValue()) {
                Map<String, Object> silence = new java.util.LinkedHashMap<>(Map.of("until", "2027-01-01T00:00:00Z"));
                silence.put(sk.getKey(), bad);
                cases++;
                String gap = refusal(Map.of("silences", List.of(silence)), "silences[0]." + sk.getKey(), bad, false);
                if (gap != null) {
                    gaps.add(gap);
                }
            }
        }
        assertThat(cases).as("cases tried").isGreaterThan(200);
        assertThat(gaps).as("values not refused as they should be, of " + cases + " tried").isEmpty();
    }

    @Test
    void aMissingOrUnreadableSecretFileIsRefusedNamingTheKeyAndNoSecretIsShown() throws Exception {
        String secret = "S3CRET-" + Long.toHexString(System.nanoTime());
        Files.writeString(tmp.resolve("pg-url"), "postgresql://rtm:" + secret + "@db:5432/rtm?password=" + secret + "\n");
        Files.writeString(tmp.resolve("token"), secret + "\n");
        Files.createDirectories(tmp.resolve("a-dir"));
        assertThatThrownBy(() -> dev.rtm.host.notify.ChannelCatalog.build(load("""
                postgres: { password: "${file:no-such-password-file}", url: "${file:pg-url}" }
                job: { parallelism: "${file:token}" }
                channels:
                  ops: { type: webhook, url: "${file:a-dir}", bearer-token: "${file:token}", read-timeout-ms: -1 }
                  pager: { type: pagerduty, routing-key: "${file:missing/routing-key}" }
                """, Map.of()), registry))
                .isInstanceOf(RtmException.class)
                .hasMessageContaining("postgres.password: cannot read file " + tmp.resolve("no-such-password-file") + " (NoSuchFileException)")
                .hasMessageContaining("postgres.url: ")
                .hasMessageContaining("job.parallelism: '${file:token}' is not a number")
                .hasMessageContaining("channels.ops.url: cannot read file " + tmp.resolve("a-dir"))
                .hasMessageContaining("channels.pager.routing-key: cannot read file " + tmp.resolve("missing/routing-key"))
                .hasMessageNotContaining(secret);
    }
}
