package dev.rtm.api;

import java.util.Objects;

/**
 * Identifies one series: the host that produced it and the metric name, e.g.
 * {@code ("web-1", "cpu.total_pct")}.
 *
 * @param host the host name, never null
 * @param metric the metric name, never null
 */
public record SeriesKey(String host, String metric) {

    /** Checks that both parts are present. */
    public SeriesKey {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(metric, "metric");
    }

    /** A stable 64-bit seed derived from the key, for detectors that need per-series randomness. */
    public long seed() {
        long h = 1125899906842597L;
        for (String s : new String[] {host, "\u0000", metric}) {
            for (int i = 0; i < s.length(); i++) {
                h = 31 * h + s.charAt(i);
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return host + "/" + metric;
    }
}
