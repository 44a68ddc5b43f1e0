package dev.rtm.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated host: cpu, memory, load, disk and network series with a daily pattern, noise, and
 * anomalies injected at random times (a spike, a level shift, a slow drift), each recorded in
 * {@link #injected()} so tests and demos can check what was flagged. Deterministic for a seed.
 */
public final class SyntheticHost {

    /** Kinds of injected anomaly. */
    public enum Kind { SPIKE, LEVEL_SHIFT, DRIFT }

    /**
     * One injected anomaly.
     *
     * @param host the host
     * @param metric the metric it affects
     * @param kind its kind
     * @param start first sample index affected
     * @param end last sample index affected
     */
    public record Injection(String host, String metric, Kind kind, long start, long end) {
    }

    private static final String[] METRICS = {"cpu.total_pct", "mem.used_pct", "load.1m", "disk.read_bps", "net.rx_bps"};
    private static final double[] BASE = {35, 55, 1.2, 2.0e6, 5.0e6};
    private static final double[] DAILY = {20, 8, 0.8, 1.5e6, 3.0e6};
    private static final double[] NOISE = {2.5, 0.6, 0.15, 2.0e5, 4.0e5};

    private final String name;
    private final Random rnd;
    private final double[] level = new double[METRICS.length];
    private final List<Injection> injections = new ArrayList<>();
    private final long samplesPerDay;
    private long i;

    /**
     * @param name host name
     * @param seed randomness
     * @param samplesPerDay samples in one simulated day (sets the daily period)
     * @param anomalies how many anomalies to inject over {@code horizon} samples
     * @param horizon the number of samples the anomalies are spread over
     */
    public SyntheticHost(String name, long seed, long samplesPerDay, int anomalies, long horizon) {
        this.name = name;
        this.rnd = new Random(seed);
        this.samplesPerDay = Math.max(samplesPerDay, 10);
        for (int k = 0; k < METRICS.length; k++) {
            level[k] = BASE[k] * (0.8 + 0.4 * rnd.nextDouble());
        }
        long warm = Math.min(horizon / 3, 300);
        for (int a = 0; a < anomalies && horizon > warm + 20; a++) {
            Kind kind = Kind.values()[a % 3];
            long start = warm + (long) (rnd.nextDouble() * (horizon - warm - 20));
            long length = switch (kind) {
                case SPIKE -> 1;
                case LEVEL_SHIFT -> 30 + rnd.nextInt(30);
                case DRIFT -> 60 + rnd.nextInt(60);
            };
            injections.add(new Injection(name, METRICS[rnd.nextInt(METRICS.length)], kind, start, start + length - 1));
        }
    }

    public String name() {
        return name;
    }

    /** The injected anomalies. */
    public List<Injection> injected() {
        return List.copyOf(injections);
    }

    /** The next sample. */
    public Map<String, Double> next() {
        Map<String, Double> m = new LinkedHashMap<>();
        double phase = 2 * Math.PI * (i % samplesPerDay) / samplesPerDay;
        for (int k = 0; k < METRICS.length; k++) {
            double v = level[k] + DAILY[k] * Math.max(0, Math.sin(phase - Math.PI / 3)) + NOISE[k] * rnd.nextGaussian();
            for (Injection inj : injections) {
                if (inj.metric().equals(METRICS[k]) && i >= inj.start() && i <= inj.end()) {
                    double scale = BASE[k];
                    v += switch (inj.kind()) {
                        case SPIKE -> 2.5 * scale;
                        case LEVEL_SHIFT -> 0.8 * scale;
                        case DRIFT -> 1.2 * scale * (i - inj.start() + 1) / (inj.end() - inj.start() + 1);
                    };
                }
            }
            if (METRICS[k].endsWith("_pct")) {
                v = Math.min(100, v);
            }
            m.put(METRICS[k], Math.max(0, v));
        }
        i++;
        return m;
    }
}
