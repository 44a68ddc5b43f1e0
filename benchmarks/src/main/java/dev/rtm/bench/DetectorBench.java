package dev.rtm.bench;

import dev.rtm.api.Assessment;
import dev.rtm.api.ConfigException;
import dev.rtm.api.Detector;
import dev.rtm.api.SeriesDetector;
import dev.rtm.api.SeriesKey;
import dev.rtm.api.StateFormatException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One series of each detector plugin, created through the plugin API with the plugin's defaults
 * ({@code lstm} with {@code async: false}, so its training is paid on the scoring thread as in its
 * tests), fed {@value #WARM} points in setup so it is past its warm-up (ewma 20, arima 128,
 * rcf 150, lstm 480 points), then measured in steady state.
 *
 * <ul>
 *   <li>{@link #update}: update + score per point, {@value #BATCH} points an invocation, reported
 *       as points/s (one op = one point); it walks the series round and round.</li>
 *   <li>{@link #snapshot} and {@link #restore}: the warmed series' state to bytes and back, µs.</li>
 * </ul>
 * {@link BaselineBench#loop} walks the same points with a bare sum, and {@link BenchMain} prints
 * each detector's rate as a ratio to it.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 4)
public class DetectorBench {

    /** Points per {@link #update} invocation (and per {@link BaselineBench#loop}). */
    public static final int BATCH = 1024;
    /** Points fed in setup, past every detector's warm-up. */
    public static final int WARM = 2000;

    static final SeriesKey KEY = new SeriesKey("bench-host", "nyc_taxi");

    @Param({"ewma", "arima", "rcf", "lstm"})
    public String detector;

    /**
     * Settings over the plugin's defaults, {@code key=value} separated by semicolons (numbers and
     * booleans as such), to measure a variant: {@code -p 'settings=units=16;lookback=16'}. Not commas:
     * JMH splits a {@code -p} value at commas into several runs, one setting each. Empty: the defaults.
     */
    @Param({""})
    public String settings = "";

    private double[] points;
    private Detector model;
    private SeriesDetector series;
    private byte[] state;
    private int cursor;
    private long timestamp;

    /**
     * The settings the benchmark overrides: lstm trains on the calling thread, then
     * {@code settings} ({@code key=value;...}).
     */
    static Map<String, Object> config(String detector, String settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (detector.equals("lstm")) {
            out.put("async", false);
        }
        for (String kv : settings.split(";")) {
            if (kv.isBlank()) {
                continue;
            }
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("settings: expected key=value, got '" + kv + "'");
            }
            String v = kv.substring(eq + 1).strip();
            Object value = v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v)
                    : v.matches("-?\\d+") ? (Object) Long.valueOf(v)
                    : v.matches("-?[\\d.]+([eE]-?\\d+)?") ? (Object) Double.valueOf(v) : v;
            out.put(kv.substring(0, eq).strip(), value);
        }
        return out;
    }

    @Setup(Level.Trial)
    public void setUp() throws ConfigException {
        Points p = Points.get();
        points = p.values();
        model = Detectors.create(detector, config(detector, settings));
        series = model.create(KEY);
        int warm = Math.min(WARM, points.length);
        boolean works = false;
        for (cursor = 0; cursor < warm; cursor++) {
            Assessment a = series.update(timestamp, points[cursor]);
            works |= cursor >= warm / 2 && (Double.isFinite(a.expected()) || a.score() > 0);
            timestamp += Points.STEP_MS;
        }
        cursor %= points.length;
        if (!works) {
            // e.g. an lstm whose trainings fail: it keeps scoring nothing, fast, and its warnings go
            // nowhere here (the benchmarks log through slf4j-nop); measuring that would be a false figure
            throw new IllegalStateException(detector + " gave neither an expectation nor a score above 0 in the second half of its "
                    + warm + " warm-up points: not measured");
        }
        state = series.snapshot();
        System.out.printf("%s: %d of %d points from %s fed before measuring; state %d bytes%n",
                detector, warm, points.length, p.source(), state.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public double update() {
        double sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += series.update(timestamp, points[cursor]).score();
            timestamp += Points.STEP_MS;
            if (++cursor == points.length) {
                cursor = 0;
            }
        }
        return sum;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] snapshot() {
        return series.snapshot();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public SeriesDetector restore() throws StateFormatException {
        return model.restore(KEY, state);
    }

    /** The state bytes taken in setup (for the smoke test). */
    byte[] state() {
        return state;
    }
}
