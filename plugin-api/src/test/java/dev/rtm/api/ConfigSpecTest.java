package dev.rtm.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSpecTest {

    static final ConfigKey<Double> ALPHA = ConfigKey.number("alpha", 0.2, "smoothing").greaterThan(0).atMost(1);
    static final ConfigKey<Integer> WARMUP = ConfigKey.integer("warmup", 20, "points before flags").atLeast(0);
    static final ConfigKey<String> MODE = ConfigKey.choice("mode", "fast", List.of("fast", "exact"), "how");
    static final ConfigKey<Boolean> ON = ConfigKey.bool("enabled", true, "on");
    static final ConfigKey<String> TOKEN = ConfigKey.secret("token", "api token");
    static final ConfigSpec SPEC = ConfigSpec.of(ALPHA, WARMUP, MODE, ON);

    @Test
    void defaultsAreFilledIn() throws ConfigException {
        Settings s = SPEC.validate(Map.of("alpha", 0.5));
        assertThat(s.get(ALPHA)).isEqualTo(0.5);
        assertThat(s.get(WARMUP)).isEqualTo(20);
        assertThat(s.get(MODE)).isEqualTo("fast");
        assertThat(s.get(ON)).isTrue();
    }

    @Test
    void acceptsNumericStringsAndIntegersForNumbers() throws ConfigException {
        Settings s = SPEC.validate(Map.of("alpha", 1, "warmup", "7", "enabled", "false"));
        assertThat(s.get(ALPHA)).isEqualTo(1.0);
        assertThat(s.get(WARMUP)).isEqualTo(7);
        assertThat(s.get(ON)).isFalse();
    }

    @Test
    void reportsEveryProblemWithKeyAndAllowedValues() {
        assertThatThrownBy(() -> SPEC.validate(Map.of("alpha", 1.5, "warmup", 2.5, "mode", "slow", "alfa", 1)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigException.Problem::key)
                            .containsExactlyInAnyOrder("alpha", "warmup", "mode", "alfa");
                    assertThat(e.getMessage())
                            .contains("alpha: 1.5 is out of range; allowed: a number in (0, 1]")
                            .contains("warmup: 2.5 is not an integer; allowed: an integer >= 0")
                            .contains("mode: 'slow' is not allowed; allowed: one of fast, exact")
                            .contains("alfa: unknown key; allowed keys: alpha, warmup, mode, enabled");
                });
    }

    @Test
    void refusesNonFiniteAndWrongTypes() {
        assertThatThrownBy(() -> SPEC.validate(Map.of("alpha", "NaN")))
                .hasMessageContaining("alpha: 'NaN' is not a finite number");
        assertThatThrownBy(() -> SPEC.validate(Map.of("alpha", "abc")))
                .hasMessageContaining("alpha: 'abc' is not a number");
        assertThatThrownBy(() -> SPEC.validate(Map.of("enabled", "yes")))
                .hasMessageContaining("enabled: 'yes' is not true or false");
    }

    @Test
    void secretsAreRequiredAndNeverEchoed() throws ConfigException {
        ConfigSpec spec = ConfigSpec.of(TOKEN, ConfigKey.integer("port", 1, "p").atLeast(1).atMost(65535));
        assertThatThrownBy(spec::defaults).hasMessageContaining("token: value a value is required");
        Settings s = spec.validate(Map.of("token", "xoxb-very-secret"));
        assertThat(s.get(TOKEN)).isEqualTo("xoxb-very-secret");
        assertThat(s.describe()).containsEntry("token", "******");
        assertThat(s.toString()).doesNotContain("xoxb");
        assertThatThrownBy(() -> ConfigSpec.of(TOKEN).validate(Map.of("token", List.of("xoxb-very-secret"))))
                .hasMessageNotContaining("xoxb");
    }

    @Test
    void keyDefinitionsAreChecked() {
        assertThatThrownBy(() -> ConfigKey.number("Bad_Name", 1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigKey.number("a", 5, "x").atMost(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigSpec.of(ALPHA, ALPHA)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SPEC.defaults().get(TOKEN)).isInstanceOf(IllegalArgumentException.class);
    }
}
