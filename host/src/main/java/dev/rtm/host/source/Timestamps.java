package dev.rtm.host.source;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps in the forms metrics files use: {@code 2014-04-01 00:00:00[.ffffff]}, ISO-8601 with
 * {@code T} and an optional zone ({@code Z}, {@code +02:00}), or epoch seconds / milliseconds.
 * In files, times without a zone are UTC ({@link #parse}); on the command line, in the local zone
 * ({@link #parseLocal}). The same forms are accepted in both places.
 */
public final class Timestamps {

    private static final DateTimeFormatter NAB = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Timestamps() {
    }

    /**
     * Parses to epoch milliseconds.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static long parse(String text) {
        return parse(text, ZoneOffset.UTC);
    }

    /**
     * A time given on the command line ({@code --to}, {@code --until}): the forms of
     * {@link #parse}, a time without a zone being in {@code zone} (the local zone, normally).
     *
     * @throws IllegalArgumentException naming the text
     */
    public static Instant parseLocal(String text, ZoneId zone) {
        return Instant.ofEpochMilli(parse(text, zone));
    }

    /** An instant for messages: ISO-8601 to the second ({@code 2026-12-02T02:45:00Z}), never nanoseconds. */
    public static String display(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static long parse(String text, ZoneId zone) {
        String s = text.strip();
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            s = s.substring(1, s.length() - 1);
        }
        try {
            if (s.length() >= 19 && s.charAt(4) == '-' && s.charAt(7) == '-'
                    && (s.charAt(10) == ' ' || s.charAt(10) == 'T') && s.charAt(13) == ':' && s.charAt(16) == ':') {
                return parseDateTime(s, zone);
            }
            if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-')) {
                double v = Double.parseDouble(s);
                if (!Double.isFinite(v)) {
                    throw new NumberFormatException();
                }
                return Math.abs(v) < 1e11 ? Math.round(v * 1000) : Math.round(v);
            }
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("timestamp '" + text + "' is not a date-time or epoch number");
        }
    }

    private static long parseDateTime(String s, ZoneId defaultZone) {
        LocalDate date = LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10));
        int h = digits(s, 11, 13);
        int m = digits(s, 14, 16);
        int sec = digits(s, 17, 19);
        if (h > 23 || m > 59 || sec > 59) {
            throw new NumberFormatException();
        }
        long millis = (date.toEpochDay() * 86_400L + h * 3600L + m * 60L + sec) * 1000L;
        int i = 19;
        if (i < s.length() && s.charAt(i) == '.') {
            int start = ++i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            String frac = (s.substring(start, i) + "000").substring(0, 3);
            millis += Integer.parseInt(frac);
        }
        if (i < s.length()) {
            String zone = s.substring(i);
            millis -= ZoneOffset.of(zone.equals("z") ? "Z" : zone).getTotalSeconds() * 1000L;
        } else if (!defaultZone.equals(ZoneOffset.UTC)) {
            LocalDateTime local = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
            millis = local.atZone(defaultZone).toInstant().toEpochMilli() + Math.floorMod(millis, 1000);
        }
        return millis;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException();
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in UTC, the NAB form. */
    public static String nab(long millis) {
        return NAB.format(LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC));
    }

    /** ISO-8601 instant, e.g. {@code 2014-04-01T00:00:00Z}. */
    public static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
