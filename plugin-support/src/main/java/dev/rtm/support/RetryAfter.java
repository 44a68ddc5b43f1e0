package dev.rtm.support;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The HTTP {@code Retry-After} header, for {@code DeliveryException}'s retry-after. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * A Retry-After value (delta-seconds or an HTTP date) as a duration (zero for a date already
     * past), or null when absent or unreadable.
     */
    public static Duration parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
