package dev.rtm.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * JMH's own command line (every JMH option works), then the tables of what ran: each detector's
 * steady-state points/s, its ratio to the bare loop measured in the same run, and its snapshot and
 * restore times; the decode stage's records/s and values/s and its ratio to its own bare loop; with
 * the machine's load average before and after.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [JMH options, e.g. -f 1 -wi 3 -w 5s -i 3 -r 4s]</pre>
 */
public final class BenchMain {

    private static final Set<String> JMH_ONLY = Set.of("-h", "-l", "-lp", "-lprof", "-lrf");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            if (JMH_ONLY.contains(a)) {
                org.openjdk.jmh.Main.main(args);
                return;
            }
        }
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(2);
            return;
        }
        String loadBefore = loadAverage();
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.print(summary(results, loadBefore, loadAverage()));
    }

    /** The per-detector table, Markdown, from the JMH results of one run. */
    static String summary(Collection<RunResult> results, String loadBefore, String loadAfter) {
        Result<?> baseline = null;
        Result<?> decode = null;
        Result<?> decodeValues = null;
        Result<?> decodeLoop = null;
        Map<String, Result<?>[]> rows = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            if (bench.endsWith("BaselineBench.loop")) {
                baseline = r.getPrimaryResult();
                continue;
            }
            if (bench.endsWith("DecodeBench.decode")) {
                decode = r.getPrimaryResult();
                decodeValues = r.getSecondaryResults().get("values");
                continue;
            }
            if (bench.endsWith("DecodeBench.loop")) {
                decodeLoop = r.getPrimaryResult();
                continue;
            }
            String detector = r.getParams().getParam("detector");
            if (detector == null) {
                continue;
            }
            Result<?>[] row = rows.computeIfAbsent(detector, d -> new Result<?>[3]);
            switch (method) {
                case "update" -> row[0] = r.getPrimaryResult();
                case "snapshot" -> row[1] = r.getPrimaryResult();
                case "restore" -> row[2] = r.getPrimaryResult();
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Load average (1, 5, 15 min) before: %s, after: %s.%n%n", loadBefore, loadAfter));
        if (decode != null || decodeLoop != null) {
            out.append(decodeTable(decode, decodeValues, decodeLoop)).append('\n');
        }
        if (baseline == null && rows.isEmpty()) {
            return out.toString();
        }
        Points p = Points.get();
        out.append(String.format(Locale.ROOT, "Points: %s (%d), %d fed before measuring, %d per invocation.%n%n",
                p.source(), p.values().length, DetectorBench.WARM, DetectorBench.BATCH));
        out.append("| detector | points/s, steady state | ratio to the bare loop | snapshot µs | restore µs |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        if (baseline != null) {
            out.append("| bare loop (sum) | ").append(rate(baseline)).append(" | 1 | | |\n");
        }
        for (Map.Entry<String, Result<?>[]> e : rows.entrySet()) {
            Result<?>[] row = e.getValue();
            String ratio = row[0] == null || baseline == null ? "n/a"
                    : ratio(row[0].getScore() / baseline.getScore());
            out.append("| ").append(e.getKey())
                    .append(" | ").append(row[0] == null ? "n/a" : rate(row[0]))
                    .append(" | ").append(ratio)
                    .append(" | ").append(row[1] == null ? "n/a" : micros(row[1]))
                    .append(" | ").append(row[2] == null ? "n/a" : micros(row[2]))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The decode stage's row and its bare loop's, Markdown. */
    static String decodeTable(Result<?> decode, Result<?> values, Result<?> loop) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Decode: %d records of %d synthetic hosts, single-object"
                + " encoding; values/s counts the points the validator kept.%n%n", DecodeBench.RECORDS, DecodeBench.HOSTS));
        out.append("| stage | records/s | values/s | ratio to the bare loop |\n");
        out.append("|---|---:|---:|---:|\n");
        if (loop != null) {
            out.append("| bare loop (sum of record lengths) | ").append(rate(loop)).append(" | | 1 |\n");
        }
        if (decode != null) {
            out.append("| decode (WireFormat.decode + MetricsValidator) | ").append(rate(decode))
                    .append(" | ").append(values == null ? "n/a" : rate(values))
                    .append(" | ").append(loop == null ? "n/a" : ratio(decode.getScore() / loop.getScore()))
                    .append(" |\n");
        }
        return out.toString();
    }

    static String rate(Result<?> r) {
        return human(r.getScore()) + " ± " + human(errorOf(r));
    }

    static String micros(Result<?> r) {
        return String.format(Locale.ROOT, "%s ± %s", plain(r.getScore()), plain(errorOf(r)));
    }

    private static double errorOf(Result<?> r) {
        double e = r.getScoreError();
        return Double.isNaN(e) ? 0 : e;
    }

    /** 12 300 000 as "12.3 M", 51 200 as "51.2 k". */
    static String human(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String plain(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 1 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A ratio far below 1 as "1/N" (easier to read than 0.00012). */
    static String ratio(double r) {
        if (r >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", r);
        }
        return String.format(Locale.ROOT, "1/%s", human(1 / r).replace(" ", ""));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            List<String> three = new ArrayList<>(List.of(f).subList(0, 3));
            return String.join(" ", three);
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", one);
        }
    }
}
