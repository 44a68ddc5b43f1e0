package dev.rtm.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code rtm bench} run measured, as written to its JSON result file ({@code --json}) so
 * that runs can be compared ({@code rtm bench --compare a.json b.json}).
 *
 * @param when ISO-8601 time of the run
 * @param machine cores and JVM, so a comparison across machines says so
 * @param flushMillis the sink's flush interval in the run ({@code postgres.flush-interval-ms})
 * @param values values loaded for the throughput phase (two rows each: raw + ewma score)
 * @param endToEndValuesPerSecond sustained (10-90 %) values/s committed end to end
 * @param copyRowsPerSecond the same-run COPY baseline, rows/s
 * @param ratio end-to-end rows/s over the COPY baseline
 * @param rowsMissing rows expected minus rows found (0 when none was lost or doubled)
 * @param latency one entry per fixed rate
 * @param detectors the detectors every series ran (one score row each per value); ewma in files written before the option
 * @param series with {@code --series}: one entry per series count (the throughput fields above are then 0)
 * @param fuzz with {@code --hostile}: the good records' throughput beside hostile ones; null without
 * @param coldValuesPerSecond the JVM's first drain (the first warm-up, of the same samples); 0 when not measured
 *        (no warm-up, or hostile records among the warm-up's samples) and in files written before it was
 * @param forecastEvery the drained jobs also wrote each model's forecast every this many points of a series
 *        ({@code --forecast-every}); 0: none, and in files written before the option
 */
public record BenchResult(String when, String machine, int flushMillis, long values, double endToEndValuesPerSecond,
                          double copyRowsPerSecond, double ratio, long rowsMissing, List<Latency> latency,
                          List<String> detectors, List<Scale> series, Fuzz fuzz, double coldValuesPerSecond, int forecastEvery) {

    /** A result without forecasts. */
    public BenchResult(String when, String machine, int flushMillis, long values, double endToEndValuesPerSecond,
                       double copyRowsPerSecond, double ratio, long rowsMissing, List<Latency> latency,
                       List<String> detectors, List<Scale> series, Fuzz fuzz, double coldValuesPerSecond) {
        this(when, machine, flushMillis, values, endToEndValuesPerSecond, copyRowsPerSecond, ratio, rowsMissing, latency, detectors,
                series, fuzz, coldValuesPerSecond, 0);
    }

    /** A result without a fuzz phase. */
    public BenchResult(String when, String machine, int flushMillis, long values, double endToEndValuesPerSecond,
                       double copyRowsPerSecond, double ratio, long rowsMissing, List<Latency> latency,
                       List<String> detectors, List<Scale> series) {
        this(when, machine, flushMillis, values, endToEndValuesPerSecond, copyRowsPerSecond, ratio, rowsMissing, latency, detectors,
                series, null, 0);
    }

    public BenchResult {
        latency = latency == null ? List.of() : latency;
        detectors = detectors == null ? List.of("ewma") : detectors;
        series = series == null ? List.of() : series;
    }

    /**
     * The job at one count of live series ({@code rtm bench --series}).
     *
     * @param series distinct series (host x metric) the job kept state for
     * @param points points per series
     * @param valuesPerSecond sustained (10-90 %) values/s committed end to end; when the run is too short to tell
     *        (its rows came in one or two samples), all values over the seconds from the job's start ({@code startUpIncluded})
     * @param startUpIncluded the rate includes the job's start-up (a short run)
     * @param rowsMissing rows expected minus rows found
     * @param checkpointBytes bytes of the first checkpoint completed after every row was committed (all of it: every
     *        operator's state and the checkpoint's metadata)
     * @param checkpointBytesByOperator the same checkpoint's state by operator (its uid in the job, e.g. detect, alert), as the
     *        checkpoint's metadata gives it; operators without state left out
     * @param heapBytes JVM heap used after a full GC with the job running and its state live, minus the same before the job started
     * @param heapBytesByClass the classes whose live instances grew most between the same two moments (the JVM's class
     *        histogram), bytes each
     */
    public record Scale(long series, int points, double valuesPerSecond, boolean startUpIncluded, long rowsMissing, long checkpointBytes,
                        java.util.Map<String, Long> checkpointBytesByOperator, long heapBytes, java.util.Map<String, Long> heapBytesByClass) {

        public Scale {
            checkpointBytesByOperator = checkpointBytesByOperator == null ? java.util.Map.of() : checkpointBytesByOperator;
            heapBytesByClass = heapBytesByClass == null ? java.util.Map.of() : heapBytesByClass;
        }

        /** Checkpoint bytes per series. */
        public double checkpointBytesPerSeries() {
            return (double) checkpointBytes / series;
        }

        /** Heap bytes per series. */
        public double heapBytesPerSeries() {
            return (double) heapBytes / series;
        }
    }

    /**
     * The same good samples drained with hostile records among them ({@code rtm bench --hostile}), against
     * clean drains of them in the same run.
     *
     * @param hostilePerGood hostile records per good one
     * @param hostileRecords hostile records loaded, all rounds
     * @param deadLetters records the job wrote to the dead-letter topic meanwhile (at least once: at least
     *        {@code hostileRecords})
     * @param fuzzed sustained (10-90 %) good values/s committed beside them, a figure per round
     * @param clean the clean drains' values/s: the throughput phase's, then one after each fuzzed drain
     * @param ratio the mean of {@code fuzzed} over the mean of {@code clean}
     * @param rowsMissing good rows expected minus found, all rounds (0 when none was lost or doubled)
     */
    public record Fuzz(double hostilePerGood, long hostileRecords, long deadLetters, List<Double> fuzzed, List<Double> clean,
                       double ratio, long rowsMissing) {
    }

    /**
     * Produce → committed score row latency at one fixed rate.
     *
     * @param valuesPerSecond the rate (5 values per sample)
     * @param samples latencies measured
     * @param p50Ms median
     * @param p99Ms 99th percentile
     * @param maxMs worst
     */
    public record Latency(double valuesPerSecond, int samples, long p50Ms, long p99Ms, long maxMs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the JSON result file. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), this);
    }

    /** Reads a result file; a file that is not one is refused naming it. */
    public static BenchResult read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), BenchResult.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not an rtm bench result file: " + e.getOriginalMessage(), e);
        }
    }

    /** The comparison of two runs, a line per figure: a, b and b / a. */
    public static List<String> compare(BenchResult a, BenchResult b) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-50s %22s %22s %8s", "", "a", "b", "b / a"));
        out.add(String.format(Locale.ROOT, "%-50s %22s %22s", "run", a.when(), b.when()));
        if (!a.machine().equals(b.machine())) {
            out.add("machines differ: a " + a.machine() + ", b " + b.machine());
        }
        if (a.flushMillis() != b.flushMillis()) {
            out.add("sink flush intervals differ: a " + a.flushMillis() + " ms, b " + b.flushMillis() + " ms");
        }
        if (!a.detectors().equals(b.detectors())) {
            out.add("detectors differ: a " + String.join(",", a.detectors()) + ", b " + String.join(",", b.detectors()));
        }
        if (a.forecastEvery() != b.forecastEvery()) {
            out.add("forecasts differ: a every " + a.forecastEvery() + " points, b every " + b.forecastEvery() + " (0: none)");
        }
        if (a.values() > 0 && b.values() > 0) {
            row(out, "end to end, values/s (higher is better)", a.endToEndValuesPerSecond(), b.endToEndValuesPerSecond());
            row(out, "COPY baseline, rows/s", a.copyRowsPerSecond(), b.copyRowsPerSecond());
            row(out, "ratio end to end / COPY", a.ratio(), b.ratio());
        }
        if (a.fuzz() != null && b.fuzz() != null) {
            if (a.fuzz().hostilePerGood() != b.fuzz().hostilePerGood()) {
                out.add("hostile records per good one differ: a " + a.fuzz().hostilePerGood() + ", b " + b.fuzz().hostilePerGood());
            }
            row(out, "ratio beside hostile records / clean", a.fuzz().ratio(), b.fuzz().ratio());
        }
        for (Scale sa : a.series()) {
            for (Scale sb : b.series()) {
                if (sa.series() == sb.series()) {
                    String at = " at " + sa.series() + " series";
                    row(out, "values/s" + at + " (higher is better)", sa.valuesPerSecond(), sb.valuesPerSecond());
                    row(out, "checkpoint B/series" + at, sa.checkpointBytesPerSeries(), sb.checkpointBytesPerSeries());
                    row(out, "heap B/series" + at, sa.heapBytesPerSeries(), sb.heapBytesPerSeries());
                }
            }
        }
        for (Latency la : a.latency()) {
            for (Latency lb : b.latency()) {
                if (Math.abs(la.valuesPerSecond() - lb.valuesPerSecond()) < 1e-6) {
                    String at = String.format(Locale.ROOT, " at %.0f values/s (lower is better)", la.valuesPerSecond());
                    row(out, "latency p50 ms" + at, la.p50Ms(), lb.p50Ms());
                    row(out, "latency p99 ms" + at, la.p99Ms(), lb.p99Ms());
                    row(out, "latency max ms" + at, la.maxMs(), lb.maxMs());
                }
            }
        }
        if (a.rowsMissing() != 0 || b.rowsMissing() != 0) {
            out.add("WARNING: rows missing or doubled: a " + a.rowsMissing() + ", b " + b.rowsMissing());
        }
        return out;
    }

    private static void row(List<String> out, String what, double a, double b) {
        boolean ratio = what.startsWith("ratio");
        String fa = String.format(Locale.ROOT, ratio ? "%.2f" : "%.0f", a);
        String fb = String.format(Locale.ROOT, ratio ? "%.2f" : "%.0f", b);
        out.add(String.format(Locale.ROOT, "%-50s %22s %22s %8s", what, fa, fb,
                a == 0 ? "-" : String.format(Locale.ROOT, "%.2f", b / a)));
    }

    /** This machine, in the words a result file keeps. */
    static String thisMachine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version");
    }
}
