package dev.rtm.host.config;

import java.time.Duration;
import java.util.Locale;

/** Durations as people write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 4h}, {@code 1d}, or ISO {@code PT5S}. */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public static Duration parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new NumberFormatException();
                }
                return d;
            }
            if (v.endsWith("ms")) {
                long ms = Long.parseLong(v.substring(0, v.length() - 2));
                if (ms < 0) {
                    throw new NumberFormatException();
                }
                return Duration.ofMillis(ms);
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + s + "' is not a duration (e.g. 500ms, 30s, 5m, 4h, 1d)");
        }
    }

    /** Short text for a duration, e.g. {@code 4h}, {@code 90s}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (d.toMillisPart() != 0 || s == 0) {
            return d.toMillis() + "ms";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
