package dev.rtm.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic hosts for the alerting bench: {@code metrics} series per host, each Gaussian noise
 * (sigma 1) around its own level, plus a spike of {@link #SPIKE} sigmas wherever a {@link Schedule}
 * puts one. The ewma detector flags such a spike, and the alert stage fires an alert that starts
 * at the spike's point and resolves {@code alerts.resolve-after} points later. Deterministic.
 */
final class SpikyFleet {

    /** Height of a spike, in sigmas of the noise: far above ewma's threshold (4) even after earlier spikes. */
    static final double SPIKE = 30;

    /** Where the spikes are. */
    @FunctionalInterface
    interface Schedule {
        /** Whether metric {@code m} of host {@code h} spikes at its sample {@code i}. */
        boolean spikes(int h, int m, long i);
    }

    private final String prefix;
    private final int metrics;
    private final Random[] noise;

    SpikyFleet(String prefix, int hosts, int metrics) {
        this.prefix = prefix;
        this.metrics = metrics;
        this.noise = new Random[hosts];
        for (int h = 0; h < hosts; h++) {
            noise[h] = new Random(h);
        }
    }

    /**
     * Every series spikes once every {@code every} samples from sample {@code from} on, at a phase
     * of its own, so a host's series take turns and its alerts never stop.
     */
    static Schedule everySeries(long every, long from) {
        return (h, m, i) -> i >= from && (i + h * 7L + m * 13L) % every == 0;
    }

    int hosts() {
        return noise.length;
    }

    int metrics() {
        return metrics;
    }

    /** Host {@code h}'s name. */
    String host(int h) {
        return prefix + "-" + h;
    }

    /** Metric {@code m}'s name. */
    static String metric(int m) {
        return String.format(java.util.Locale.ROOT, "bench.m%02d", m);
    }

    /** Sample {@code i} of host {@code h} (call in sample order per host). */
    Map<String, Double> sample(int h, long i, Schedule schedule) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int m = 0; m < metrics; m++) {
            double v = 20 + 5 * m + noise[h].nextGaussian() + (schedule.spikes(h, m, i) ? SPIKE : 0);
            values.put(metric(m), v);
        }
        return values;
    }
}
