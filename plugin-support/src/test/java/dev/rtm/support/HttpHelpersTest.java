package dev.rtm.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtm.api.ConfigException;
import dev.rtm.api.ConfigKey;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Redactor}, {@link RetryAfter} and {@link HttpSender#httpUrl}; sending is tested by each alerter plugin. */
class HttpHelpersTest {

    @Test
    void secretsAndTheSecretPartsOfAUrlNeverShow() {
        String url = "https://user:pw@hooks.example.com/services/T000/B000/XXXXXXXXXXXXXXXX?token=abc";
        Redactor r = new Redactor(Arrays.asList(url, "", null, "tok-123"));
        assertThat(r.redact("posted to " + url + " with tok-123")).isEqualTo("posted to ****** with ******");
        assertThat(r.redact("unknown path /services/T000/B000/XXXXXXXXXXXXXXXX"))
                .doesNotContain("XXXXXXXXXXXXXXXX").contains("******");
        assertThat(r.redact("segment XXXXXXXXXXXXXXXX alone")).isEqualTo("segment ****** alone");
        assertThat(r.redact(null)).isEmpty();
        assertThat(r.detail(" a\n  b " + "x".repeat(400))).startsWith("a b x").endsWith("...").hasSize(303);
        assertThat(r.detail(null)).isNull();
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(RetryAfter.parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("-1")).isNull();
        assertThat(RetryAfter.parse("soon")).isNull();
        assertThat(RetryAfter.parse(null)).isNull();
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(RetryAfter.parse(past)).isEqualTo(Duration.ZERO);
        String later = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(10));
        assertThat(RetryAfter.parse(later)).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    }

    @Test
    void aDestinationMustBeAnHttpUrlAndASecretOneIsNotEchoed() throws ConfigException {
        ConfigKey<String> url = ConfigKey.string("url", "", "where to");
        ConfigKey<String> secret = ConfigKey.secret("webhook-url", "where to, secret");
        assertThat(HttpSender.httpUrl(url, " https://example.com/x ").getHost()).isEqualTo("example.com");
        assertThatThrownBy(() -> HttpSender.httpUrl(url, "ftp://example.com")).hasMessageContaining("'ftp://example.com'");
        assertThatThrownBy(() -> HttpSender.httpUrl(secret, "not a url s3cr3t"))
                .hasMessageContaining("value (hidden)").hasMessageNotContaining("s3cr3t");
    }
}
